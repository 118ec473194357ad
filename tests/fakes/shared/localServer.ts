/**
 * Plumbing shared by the fake vendor servers: listen on 127.0.0.1 only, track sockets so that
 * close() can never hang a test run, and small body/JSON helpers. Kept free of any import from
 * app/ so the fakes stay an independent oracle of the gateway.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface LocalServer {
  readonly server: Server;
  /** http://127.0.0.1:PORT, no trailing slash. */
  readonly origin: string;
  /** Stops listening and destroys every open socket (streams that hang included). */
  close(): Promise<void>;
}

/** Starts `handler` on 127.0.0.1, port 0. Fakes must never bind to another address. */
export async function listenLocal(handler: RequestListener): Promise<LocalServer> {
  const server = createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
    return closing;
  };
  return { server, origin: `http://127.0.0.1:${port}`, close };
}

/** Reads the whole request body as raw bytes (the fakes parse it themselves, like the vendors). */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Writes a complete response with an explicit Content-Length (no chunking for plain bodies). */
export function sendBody(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** Parses `?a=b` into a plain record (last value wins, like most web frameworks). */
export function queryRecord(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of url.searchParams) out[key] = value;
  return out;
}

/** Guard used by clients of the fakes: tests only ever talk to the loopback address. */
export function assertLoopback(url: string): void {
  const { hostname } = new URL(url);
  if (hostname !== '127.0.0.1') {
    throw new Error(`fake clients only talk to 127.0.0.1, refusing ${url}`);
  }
}
