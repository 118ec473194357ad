import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { statusFor } from '../errors';

function sendJson(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res
    .writeHead(status, {
      ...headers,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(text)),
    })
    .end(text);
}

/**
 * The HTTP surface while the store opens, which may take seconds. The process listens first so that
 * /healthz answers at once (it is alive); /readyz says 503 `store: "opening"`; every other route,
 * WeCom's callbacks and /metrics included, gets 503 STARTING, never a 500 or a 404: WeCom retries a
 * callback not answered with 200, and Retry-After tells other clients when to try again. Plain
 * node:http, so that listening does not wait for Express and the services to load.
 */
export function startingListener(): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
      sendJson(res, 200, { status: 'ok' });
    } else if (path === '/readyz') {
      sendJson(res, 503, { status: 'not ready', store: 'opening' });
    } else {
      const message = 'the gateway is starting: its store is still opening; retry shortly';
      sendJson(res, statusFor('STARTING'), { code: 'STARTING', message }, { 'Retry-After': '1' });
    }
  };
}

/** The server's one request listener: startingListener's until the gateway is composed, then the app's. */
export class SwitchableListener {
  constructor(private current: RequestListener) {}

  readonly handle: RequestListener = (req, res) => {
    this.current(req, res);
  };

  switchTo(next: RequestListener): void {
    this.current = next;
  }
}
