/**
 * One HTTP request to a 127.0.0.1 server on a fresh connection (no keep-alive pool), the way
 * WeCom's callbacks arrive: every poll is a new request, often from another egress IP
 * (wecom-aibot-protocol.md §5.9). A timeout keeps a stuck gateway from hanging the test run.
 */
import { request } from 'node:http';
import { assertLoopback } from './localServer';

export interface LoopbackResponse {
  status: number;
  text: string;
  contentType?: string;
  /** Wall time from sending to the last body byte. */
  ms: number;
}

export interface LoopbackRequest {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

export function loopbackRequest(url: string, opts: LoopbackRequest): Promise<LoopbackResponse> {
  assertLoopback(url);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method, headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          text: Buffer.concat(chunks).toString('utf8'),
          contentType: res.headers['content-type'],
          ms: Date.now() - started,
        }),
      );
    });
    req.setTimeout(opts.timeoutMs ?? 10_000, () => {
      req.destroy(new Error(`${opts.method} ${url} got no answer within ${opts.timeoutMs ?? 10_000} ms`));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}
