import * as http from 'node:http';
import * as https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPublicAddress } from './addressPolicy';
import { publicOnlyLookup, systemResolver, type Resolver } from './publicLookup';

/**
 * Bounded GET for media: WeCom's pre-signed downloads and images a Dify answer links to. Answers are
 * untrusted, so a redirect away from the configured origins may only reach public addresses, and
 * that is checked on the very address the socket connects to (no DNS rebinding between check and
 * connect). URLs carry signatures, so messages name the origin only, never the path or query.
 */

export type FetchErrorCode =
  | 'BAD_URL'
  | 'ORIGIN_NOT_ALLOWED'
  | 'PRIVATE_ADDRESS'
  | 'TOO_MANY_REDIRECTS'
  | 'HTTP_STATUS'
  | 'TOO_LARGE'
  | 'TIMEOUT'
  | 'NETWORK';

export class FetchError extends Error {
  readonly code: FetchErrorCode;
  readonly status?: number;
  constructor(code: FetchErrorCode, message: string, options?: { status?: number; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FetchError';
    this.code = code;
    if (options?.status !== undefined) this.status = options.status;
  }
}

export interface FetchPolicy {
  /** Origins (`scheme://host[:port]`, as URL.origin gives) the gateway trusts by configuration; 'any' trusts every origin (WeCom media URLs). */
  readonly allowedOrigins: ReadonlySet<string> | 'any';
  /** Redirect targets outside allowedOrigins are followed only when every address they resolve to is public — unless this is true. */
  readonly allowPrivateNetworks: boolean;
  readonly maxBytes: number;
  /** Whole fetch including redirects. */
  readonly timeoutMs: number;
  readonly maxRedirects: number;
}

export interface FetchedBody {
  readonly bytes: Buffer;
  readonly contentType: string | undefined;
  readonly contentDisposition: string | undefined;
  readonly finalUrl: string;
}

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
const REQUEST_HEADERS = { 'User-Agent': 'wecom-dify-gateway', Accept: '*/*' } as const;

interface Exchange {
  readonly req: http.ClientRequest;
  readonly res: http.IncomingMessage;
}

export async function safeFetch(
  url: string,
  policy: FetchPolicy,
  signal?: AbortSignal,
  resolve: Resolver = systemResolver,
): Promise<FetchedBody> {
  let current = parseHttpUrl(url, 'invalid URL');
  if (!isAllowedOrigin(current, policy)) {
    throw new FetchError('ORIGIN_NOT_ALLOWED', `origin not allowed: ${current.origin}`);
  }
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), policy.timeoutMs);
  const combined = signal ? AbortSignal.any([deadline.signal, signal]) : deadline.signal;
  const abortError = (at: URL): FetchError =>
    deadline.signal.aborted
      ? new FetchError('TIMEOUT', `timed out after ${policy.timeoutMs} ms fetching from ${at.origin}`)
      : new FetchError('TIMEOUT', `fetch from ${at.origin} aborted by the caller`);
  try {
    for (let redirects = 0; ; redirects += 1) {
      const lookup = connectGuard(current, policy, resolve);
      const exchange = await send(current, lookup, combined, () => abortError(current));
      const next = redirectTarget(exchange, current);
      if (next === undefined) {
        assertUsable(exchange, current, policy);
        return await readBody(exchange, current, policy, combined, () => abortError(current));
      }
      exchange.res.destroy();
      exchange.req.destroy();
      if (redirects >= policy.maxRedirects) {
        throw new FetchError(
          'TOO_MANY_REDIRECTS',
          `more than ${policy.maxRedirects} redirects, last from ${current.origin}`,
        );
      }
      current = next;
    }
  } finally {
    clearTimeout(timer);
  }
}

function parseHttpUrl(text: string, invalidMessage: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    throw new FetchError('BAD_URL', invalidMessage);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchError('BAD_URL', `unsupported scheme ${url.protocol}`);
  }
  return url;
}

function isAllowedOrigin(url: URL, policy: FetchPolicy): boolean {
  return policy.allowedOrigins === 'any' || policy.allowedOrigins.has(url.origin);
}

/**
 * Configured origins are connected as they are: ops chose them, and Dify often lives on a private
 * network. Any other host gets its addresses vetted: IP literals here, names in the socket's lookup.
 */
function connectGuard(url: URL, policy: FetchPolicy, resolve: Resolver): LookupFunction | undefined {
  if (isAllowedOrigin(url, policy) || policy.allowPrivateNetworks) return undefined;
  const host = bareHost(url);
  if (isIP(host) === 0) return publicOnlyLookup(resolve, () => privateAddress(url.origin));
  if (!isPublicAddress(host)) throw privateAddress(url.origin);
  return undefined;
}

function privateAddress(origin: string): FetchError {
  return new FetchError('PRIVATE_ADDRESS', `${origin} resolves to a non-public address`);
}

/** URL.hostname keeps IPv6 literals in brackets; sockets and address checks want them bare. */
function bareHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

function send(
  url: URL,
  lookup: LookupFunction | undefined,
  signal: AbortSignal,
  onAbort: () => FetchError,
): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    // A fresh agent per request: no pooled socket, checked or not, is ever reused across hosts.
    const req = (url.protocol === 'https:' ? https : http).request({
      hostname: bareHost(url),
      port: url.port === '' ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      headers: REQUEST_HEADERS,
      agent: false,
      ...(lookup === undefined ? {} : { lookup }),
    });
    const stop = whenAborted(signal, () => req.destroy(onAbort()));
    req.on('error', (err) => {
      stop();
      reject(asFetchError(err, url));
    });
    req.once('response', (res) => {
      stop();
      resolve({ req, res });
    });
    req.end();
  });
}

function redirectTarget({ res }: Exchange, current: URL): URL | undefined {
  const location = res.headers.location;
  if (!REDIRECT_STATUSES.has(res.statusCode ?? 0) || location === undefined) return undefined;
  return parseHttpUrl(location, `invalid redirect from ${current.origin}`, current);
}

/** Checks what the headers already tell, so an error page or an oversized body is never read. */
function assertUsable({ req, res }: Exchange, url: URL, policy: FetchPolicy): void {
  const status = res.statusCode ?? 0;
  let failure: FetchError | undefined;
  if (status < 200 || status > 299) {
    failure = new FetchError('HTTP_STATUS', `HTTP ${status} from ${url.origin}`, { status });
  } else if (Number(res.headers['content-length']) > policy.maxBytes) failure = tooLarge(url, policy);
  if (failure === undefined) return;
  res.destroy();
  req.destroy();
  throw failure;
}

function readBody(
  { req, res }: Exchange,
  url: URL,
  policy: FetchPolicy,
  signal: AbortSignal,
  onAbort: () => FetchError,
): Promise<FetchedBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const fail = (err: FetchError): void => {
      stop();
      res.destroy();
      req.destroy();
      reject(err);
    };
    const stop = whenAborted(signal, () => fail(onAbort()));
    req.on('error', (err) => fail(asFetchError(err, url)));
    res.on('error', (err) => fail(asFetchError(err, url)));
    res.on(
      'close',
      () => res.complete || fail(new FetchError('NETWORK', `connection to ${url.origin} closed mid-body`)),
    );
    res.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > policy.maxBytes) fail(tooLarge(url, policy));
      else chunks.push(chunk);
    });
    res.on('end', () => {
      stop();
      const { 'content-type': contentType, 'content-disposition': contentDisposition } = res.headers;
      resolve({ bytes: Buffer.concat(chunks, received), contentType, contentDisposition, finalUrl: url.href });
    });
  });
}

function tooLarge(url: URL, policy: FetchPolicy): FetchError {
  return new FetchError('TOO_LARGE', `body from ${url.origin} exceeds ${policy.maxBytes} bytes`);
}

/** Socket errors become NETWORK with their code only: Node's own texts may quote addresses we need not leak. */
function asFetchError(err: unknown, url: URL): FetchError {
  if (err instanceof FetchError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return new FetchError('NETWORK', `cannot fetch from ${url.origin}${code ? ` (${code})` : ''}`, { cause: err });
}

/** Runs `action` on abort (soon, if already aborted) until the returned function cancels it. */
function whenAborted(signal: AbortSignal, action: () => void): () => void {
  if (signal.aborted) {
    let cancelled = false;
    queueMicrotask(() => cancelled || action());
    return () => {
      cancelled = true;
    };
  }
  signal.addEventListener('abort', action, { once: true });
  return () => signal.removeEventListener('abort', action);
}
