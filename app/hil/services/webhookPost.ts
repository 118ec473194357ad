import * as http from 'node:http';
import * as https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPublicAddress } from '../../services/media/addressPolicy';
import { type Resolver, publicOnlyLookup, systemResolver } from '../../services/media/publicLookup';

/**
 * The interaction webhook's POST (issue #15 scope 3) under the gateway's address policy
 * (services/media/addressPolicy): the callback_url is the client's, so unless
 * HIL_CALLBACK_ALLOW_PRIVATE_NETWORKS says otherwise it may only reach public addresses, checked on the
 * address the socket connects to (publicOnlyLookup: no DNS rebinding between check and connect).
 * Redirects are not followed (a 3xx is a failed attempt). Errors name the origin only: a URL's path or
 * query may carry the receiver's token.
 */

export interface WebhookPost {
  readonly url: string;
  readonly body: Buffer;
  readonly headers: Readonly<Record<string, string>>;
  readonly allowPrivateNetworks: boolean;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export type WebhookResult =
  { readonly ok: true; readonly status: number } | { readonly ok: false; readonly error: string };

export type UrlCheck = { readonly ok: true; readonly url: URL } | { readonly ok: false; readonly error: string };

/** What can be said of a callback_url before any DNS: http(s), no credentials, no private IP literal. */
export function checkCallbackUrl(raw: string, allowPrivateNetworks: boolean): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, error: 'callback_url is not a URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { ok: false, error: 'callback_url must be http or https' };
  if (url.username !== '' || url.password !== '')
    return { ok: false, error: 'callback_url must not carry credentials' };
  const host = bareHost(url);
  if (!allowPrivateNetworks && isIP(host) !== 0 && !isPublicAddress(host))
    return { ok: false, error: 'callback_url must not point to a private or loopback address' };
  return { ok: true, url };
}

export async function postWebhook(post: WebhookPost, resolve: Resolver = systemResolver): Promise<WebhookResult> {
  const checked = checkCallbackUrl(post.url, post.allowPrivateNetworks);
  if (!checked.ok) return checked;
  const url = checked.url;
  const host = bareHost(url);
  const lookup: LookupFunction | undefined =
    post.allowPrivateNetworks || isIP(host) !== 0
      ? undefined
      : publicOnlyLookup(resolve, () => new Error(`${url.origin} resolves to a non-public address`));
  const signals = [AbortSignal.timeout(post.timeoutMs), ...(post.signal === undefined ? [] : [post.signal])];
  try {
    const status = await send(url, host, post, lookup, AbortSignal.any(signals));
    return status >= 200 && status <= 299 ? { ok: true, status } : { ok: false, error: `HTTP ${status}` };
  } catch (err) {
    return { ok: false, error: describe(err, url) };
  }
}

function send(
  url: URL,
  host: string,
  post: WebhookPost,
  lookup: LookupFunction | undefined,
  signal: AbortSignal,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? https : http).request({
      hostname: host,
      port: url.port === '' ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers: { ...post.headers, 'Content-Length': String(post.body.length) },
      // A fresh socket per delivery: a pooled one would skip the address check.
      agent: false,
      signal,
      ...(lookup === undefined ? {} : { lookup }),
    });
    req.on('error', reject);
    req.on('response', (res) => {
      // The receiver's answer is not read, only drained, so the socket closes cleanly.
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.end(post.body);
  });
}

function describe(err: unknown, url: URL): string {
  if (err instanceof Error && err.name === 'AbortError') return `timed out or aborted posting to ${url.origin}`;
  if (err instanceof Error && err.message.includes('non-public address')) return err.message;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return `cannot post to ${url.origin}${code !== undefined ? ` (${code})` : ''}`;
}

function bareHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}
