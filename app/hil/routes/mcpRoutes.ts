import express, {
  type ErrorRequestHandler,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  Router,
} from 'express';
import type { Logger } from 'pino';
import { errorFields } from '../../logger';
import type { CallerIdentity } from './humanloopRoutes';
import type { McpSession, McpSessions } from './mcpSessions';

export const MCP_PATH = '/mcp';
/** A tool call is a few KB; hil-mcp's longest message is far below this. */
export const MCP_BODY_BYTES = 1024 * 1024;

/** JSON-RPC's error codes this edge answers with (JSON-RPC 2.0 §5.1; -32001 is the SDK's "Session not found"). */
const PARSE_ERROR = -32700;
const SERVER_ERROR = -32000;
const SESSION_NOT_FOUND = -32001;
const INTERNAL_ERROR = -32603;

/** Every refusal here is a JSON-RPC error object, as the Streamable HTTP transport's own (id unknown: null). */
function rpcError(res: Response, status: number, code: number, message: string): void {
  res.status(status).json({ jsonrpc: '2.0', error: { code, message }, id: null });
}

/**
 * The remote MCP endpoint (issue #15 scope 2; MCP 2025-11-25 "Streamable HTTP"): `Authorization: Bearer
 * <HIL API key>` on every request (401 otherwise), POST for messages, DELETE to end a session, GET 405
 * (this server sends nothing unasked; the SDK client accepts 405, hil-clients.md). A session answers only
 * the key that opened it: for another key its id is unknown (404, as for any unknown session).
 */
export function mcpRoutes(deps: {
  readonly logger: Logger;
  readonly callers: CallerIdentity;
  readonly sessions: McpSessions;
}): Router {
  const router = Router();
  const parse = express.json({ limit: MCP_BODY_BYTES, type: () => true });
  router.all(MCP_PATH, authenticate(deps.callers), (req, res, next) =>
    req.method === 'POST' ? parse(req, res, next) : next(),
  );
  router.all(MCP_PATH, (req, res) => dispatch(deps.sessions, req, res));
  router.use(MCP_PATH, mcpErrors(deps.logger));
  return router;
}

function authenticate(callers: CallerIdentity): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const owner = await callers.identify(req.headers.authorization);
    if (owner === undefined) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="mcp"');
      return rpcError(res, 401, SERVER_ERROR, 'Unauthorized: send Authorization: Bearer <API key>');
    }
    res.locals['owner'] = owner;
    next();
  };
}

async function dispatch(sessions: McpSessions, req: Request, res: Response): Promise<void> {
  const owner = res.locals['owner'] as string;
  if (req.method !== 'POST' && req.method !== 'DELETE') {
    res.setHeader('Allow', 'POST, DELETE');
    return rpcError(res, 405, SERVER_ERROR, 'Method not allowed: this server opens no stream of its own');
  }
  const id = req.header('mcp-session-id');
  if (id !== undefined) {
    const session = sessions.find(id, owner);
    if (session === undefined) return rpcError(res, 404, SESSION_NOT_FOUND, 'Session not found');
    abortOnDisconnect(sessions, session, req.body, res);
    return session.transport.handleRequest(req, res, req.body);
  }
  if (req.method === 'POST' && isInitialize(req.body)) {
    if (await sessions.initialize(owner, req, res, req.body)) return;
    res.setHeader('Retry-After', '60');
    return rpcError(res, 503, SERVER_ERROR, 'Too many MCP sessions on this server, each with a call running');
  }
  return rpcError(res, 400, SERVER_ERROR, 'Bad Request: Mcp-Session-Id header is required');
}

/**
 * The JSON-RPC `initialize` that opens a session, by its method only: the SDK (loaded with the first
 * session, mcpSessions.ts) checks its params and answers a bad one itself.
 */
function isInitialize(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const { jsonrpc, method, id } = body as { jsonrpc?: unknown; method?: unknown; id?: unknown };
  return jsonrpc === '2.0' && method === 'initialize' && (typeof id === 'string' || typeof id === 'number');
}

/**
 * A client that goes away while its tool call waits (the POST's response closes unfinished) abandons the
 * call: it is aborted, which cancels its request, as a notifications/cancelled would.
 */
function abortOnDisconnect(sessions: McpSessions, session: McpSession, body: unknown, res: Response): void {
  const ids = (Array.isArray(body) ? body : [body]).flatMap((message: unknown) => {
    if (typeof message !== 'object' || message === null) return [];
    const { id, method } = message as { id?: unknown; method?: unknown };
    return typeof method === 'string' && (typeof id === 'string' || typeof id === 'number') ? [id] : [];
  });
  if (ids.length === 0) return;
  res.once('close', () => {
    if (!res.writableFinished) for (const id of ids) sessions.abortCall(session, id);
  });
}

/** Body errors as JSON-RPC errors: malformed 400 (-32700), oversized 413, never a 500 for a client's mistake. */
function mcpErrors(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    const type = (err as { type?: unknown }).type;
    if (res.headersSent) return next(err);
    if (type === 'entity.too.large') return rpcError(res, 413, SERVER_ERROR, 'Request body too large');
    if (typeof type === 'string' && type.startsWith('entity.'))
      return rpcError(res, 400, PARSE_ERROR, 'Parse error: Invalid JSON');
    if (type === 'charset.unsupported' || type === 'encoding.unsupported')
      return rpcError(res, 415, SERVER_ERROR, 'Unsupported encoding');
    logger.error({ err: errorFields(err), path: req.path }, 'MCP request failed');
    return rpcError(res, 500, INTERNAL_ERROR, 'Internal error');
  };
}
