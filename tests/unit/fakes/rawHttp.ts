/**
 * Minimal node:http client for the fakes' self-tests: returns the raw bytes so tests can check
 * byte-exactness, and reports a dropped connection instead of throwing.
 */
import { request, type IncomingHttpHeaders } from 'node:http';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Set when the connection broke after the headers (e.g. `end: 'destroy'`). */
  error?: Error;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Called for each received chunk (the text so far), e.g. to stop a hanging stream. */
  onData?: (soFar: string) => void;
}

export function rawRequest(url: string, opts: RawRequest = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      const done = (error?: Error): void =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), error });
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        opts.onData?.(Buffer.concat(chunks).toString('utf8'));
      });
      res.on('end', () => done());
      res.on('error', (err) => done(err));
      res.on('aborted', () => done(new Error('aborted')));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

export type SseItem = Record<string, unknown> | 'ping';

/** Splits an SSE body into events (`data:` JSON) and pings, the way a client would. */
export function parseSse(text: string): SseItem[] {
  const items: SseItem[] = [];
  for (const block of text.split('\n\n')) {
    if (block === '') continue;
    if (block === 'event: ping') items.push('ping');
    else if (block.startsWith('data: ')) items.push(JSON.parse(block.slice(6)) as Record<string, unknown>);
    else throw new Error(`unexpected SSE block ${JSON.stringify(block)}`);
  }
  return items;
}

export function eventNames(items: SseItem[]): string[] {
  return items.map((item) => (item === 'ping' ? 'ping' : String(item['event'])));
}

/** POST JSON with a bearer key, as the gateway does. */
export function postJson(
  url: string,
  apiKey: string | undefined,
  body: unknown,
  extra: RawRequest = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (apiKey !== undefined) headers['Authorization'] = `Bearer ${apiKey}`;
  return rawRequest(url, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...extra,
  });
}
