import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { answerChat, openHoldCount } from './dify/chatStream';
import { BodyError, exitOnSignals, listenLoopback, readBody, readPort, sendJson } from './shared/http';

/**
 * Fake Dify for load (issue #5): just enough of the Service API for the gateway and the bare
 * servers (dify-api.md §4.1, §6.2, §6.9), built to hold thousands of open streams cheaply.
 * Run: PORT=0 node dist/bench/difyServer.js → prints `LISTENING <port>`.
 */

const MAX_BODY_BYTES = 1024 * 1024;
const STOP_PATH = /^\/v1\/chat-messages\/[^/]+\/stop$/;

function difyError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { code, message, status });
}

/** Any Bearer key is accepted; a missing one is refused as Dify does, to catch a miswired client. */
function authorized(req: IncomingMessage, res: ServerResponse): boolean {
  if (/^Bearer \S/.test(req.headers.authorization ?? '')) return true;
  difyError(res, 401, 'unauthorized', 'Access token is invalid');
  return false;
}

function queryOf(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    const query = typeof parsed === 'object' && parsed !== null ? (parsed as { query?: unknown }).query : undefined;
    return typeof query === 'string' && query !== '' ? query : undefined;
  } catch {
    return undefined;
  }
}

async function chatMessages(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const query = queryOf(await readBody(req, MAX_BODY_BYTES));
  if (query === undefined) return difyError(res, 400, 'invalid_param', 'query is required');
  answerChat(res, query);
}

async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  if (!authorized(req, res)) return;
  if (req.method === 'POST' && path === '/v1/chat-messages') return chatMessages(req, res);
  if (req.method === 'GET' && path === '/v1/info') return sendJson(res, 200, { mode: 'chat' });
  if (req.method === 'GET' && path === '/v1/parameters') return sendJson(res, 200, { file_upload: { enabled: false } });
  if (req.method === 'POST' && STOP_PATH.test(path)) {
    await readBody(req, MAX_BODY_BYTES);
    return sendJson(res, 200, { result: 'success' });
  }
  if (req.method === 'GET' && path === '/bench/holds') return sendJson(res, 200, { open: openHoldCount() });
  difyError(res, 404, 'not_found', 'no such route');
}

function onRequest(req: IncomingMessage, res: ServerResponse): void {
  route(req, res).catch((err: unknown) => {
    if (res.headersSent) return void res.destroy();
    if (err instanceof BodyError) return difyError(res, err.status, 'invalid_param', err.message);
    difyError(res, 500, 'internal_server_error', 'fake Dify failed');
  });
}

async function main(): Promise<void> {
  // Holds last as long as the bench wants: no request/headers deadline on a stream, keep-alive
  // sockets reused without a request cap, and a long idle timeout so pools never race a close.
  const server = createServer({ requestTimeout: 0, headersTimeout: 60_000, noDelay: true }, onRequest);
  server.keepAliveTimeout = 600_000;
  server.maxRequestsPerSocket = 0;
  server.timeout = 0;
  exitOnSignals();
  // A deep backlog so thousands of simultaneous connects from the client under test are queued, not dropped.
  await listenLoopback(server, readPort(process.env), 4096);
}

main().catch((err: unknown) => {
  process.stderr.write(`fake Dify failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
