import type { IncomingMessage, Server, ServerResponse } from 'node:http';

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

export class BodyError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'BodyError';
  }
}

/**
 * Reads a request body as UTF-8 with a byte limit, the same way the gateway's readRawBody does
 * (Content-Length checked first, then the bytes received), so the bare servers pay the same cost.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyError(413, `body over ${limit} bytes`));
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        reject(new BodyError(413, `body over ${limit} bytes`));
        return;
      }
      parts.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(parts, size).toString('utf8'));
    };
    const onError = (): void => {
      cleanup();
      reject(new BodyError(400, 'request body could not be read'));
    };
    function cleanup(): void {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** Bench processes are killed by the runner; exit at once so no half-closed state lingers. */
export function exitOnSignals(): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => process.exit(0));
}
