import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { readRawBody } from '../../app/routes/rawBody';

/**
 * Small helpers shared by the bench's standalone servers. Every bench process is started by the
 * bench runner, which reads `LISTENING <port>` from stdout to learn where it is (PORT=0 = any).
 */

export function readPort(env: NodeJS.ProcessEnv): number {
  const raw = env['PORT'] ?? '0';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be 0..65535 (got ${raw})`);
  return port;
}

/**
 * Loopback only: the bench must never expose a fake or a keyless gateway to the network.
 * `backlog` undefined keeps Node's default (511), which is what the gateway's app.listen gets.
 */
export function listenLoopback(server: Server, port: number, backlog?: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port, ...(backlog !== undefined ? { backlog } : {}) }, () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('server has no TCP address'));
      process.stdout.write(`LISTENING ${address.port}\n`);
      resolve(address.port);
    });
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Reads a request body exactly as the gateway does (its own readRawBody), so the bare servers pay the
 * same cost; its GatewayError carries the status (413 over the limit).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return readRawBody(req, limit);
}

export { GatewayError as BodyError } from '../../app/errors';

/** Bench processes are killed by the runner; exit at once so no half-closed state lingers. */
export function exitOnSignals(): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => process.exit(0));
}
