/**
 * The fake Dify Service API over real HTTP on 127.0.0.1 (dify-api.md §9). Routing order is
 * Flask's: unknown route → 404 before auth; then token (§1.1); then the endpoint. Signed
 * files (`/files/…`, §4.7) live outside `/v1` and need no token.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenLocal, queryRecord, readBody } from '../shared/localServer';
import { handleStop, sendInfo, sendParameters } from './appRoutes';
import { describeMultipart, multipartBoundary } from './multipart';
import { fixturePath } from './replies';
import { sendDifyError } from './responses';
import { handleRun, type RunDeps } from './runHandler';
import { DEFAULT_UPLOAD_LIMITS_MB, FakeDifyState } from './state';
import type { FakeDify, FakeDifyApp, RunRoute, StartFakeDifyOptions } from './types';
import { handleUpload } from './upload';
import { authenticate, difyError, isDifyError, parseJsonBody } from './validation';

type Route =
  | { kind: 'info' }
  | { kind: 'parameters' }
  | { kind: 'upload' }
  | { kind: 'run'; route: RunRoute }
  | { kind: 'stop'; route: RunRoute; taskId: string }
  | { kind: 'feedback'; messageId: string }
  | { kind: 'suggested'; messageId: string }
  | { kind: 'formSubmit'; token: string }
  | { kind: 'runEvents'; runId: string };

const RUN_PATHS: Record<string, RunRoute> = {
  '/chat-messages': 'chat',
  '/workflows/run': 'workflow',
  '/completion-messages': 'completion',
};

function matchRoute(method: string, path: string): Route | undefined {
  if (method === 'GET' && path === '/info') return { kind: 'info' };
  if (method === 'GET' && path === '/parameters') return { kind: 'parameters' };
  const suggested = /^\/messages\/([^/]+)\/suggested$/.exec(path);
  if (method === 'GET' && suggested?.[1]) return { kind: 'suggested', messageId: decodeURIComponent(suggested[1]) };
  const events = /^\/workflow\/([^/]+)\/events$/.exec(path);
  if (method === 'GET' && events?.[1]) return { kind: 'runEvents', runId: decodeURIComponent(events[1]) };
  if (method !== 'POST') return undefined;
  const form = /^\/form\/human_input\/([^/]+)$/.exec(path);
  if (form?.[1]) return { kind: 'formSubmit', token: decodeURIComponent(form[1]) };
  if (path === '/files/upload') return { kind: 'upload' };
  const feedback = /^\/messages\/([^/]+)\/feedbacks$/.exec(path);
  if (feedback?.[1]) return { kind: 'feedback', messageId: decodeURIComponent(feedback[1]) };
  const run = RUN_PATHS[path];
  if (run) return { kind: 'run', route: run };
  const stop = /^\/(chat-messages|completion-messages|workflows\/tasks)\/([^/]+)\/stop$/.exec(path);
  if (!stop?.[1] || !stop[2]) return undefined;
  const route: RunRoute =
    stop[1] === 'chat-messages' ? 'chat' : stop[1] === 'completion-messages' ? 'completion' : 'workflow';
  return { kind: 'stop', route, taskId: decodeURIComponent(stop[2]) };
}

function recordedBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const boundary = multipartBoundary(contentType);
  // Uploads are recorded without their bytes (those are in `uploads`).
  if (boundary) return describeMultipart(raw, boundary) ?? '<malformed multipart>';
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function bearerOf(header: string | undefined): string | undefined {
  const match = /^bearer\s+(.+)$/i.exec(header ?? '');
  return match?.[1]?.trim();
}

async function dispatch(
  deps: RunDeps,
  route: Route,
  app: FakeDifyApp,
  req: IncomingMessage,
  raw: Buffer,
  res: ServerResponse,
): Promise<void> {
  if (route.kind === 'info') return sendInfo(res, app);
  if (route.kind === 'parameters') return sendParameters(res, app, deps.state.uploadLimitsMb);
  if (route.kind === 'upload') return handleUpload(deps.state, app, req.headers['content-type'], raw, res);
  if (route.kind === 'suggested') return handleSuggested(app, res);
  if (route.kind === 'runEvents') {
    const user = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('user') ?? undefined;
    return deps.state.humanInput.events(app, route.runId, user, res);
  }
  const body = parseJsonBody(req.headers['content-type'], raw);
  if (isDifyError(body)) return sendDifyError(res, body);
  if (route.kind === 'stop') return handleStop(deps.state, route.route, route.taskId, app, body, res);
  if (route.kind === 'feedback') return handleFeedback(body, res);
  if (route.kind === 'formSubmit') return deps.state.humanInput.submit(app, route.token, body, res);
  return handleRun(deps, route.route, app, body, res);
}

/** dify-api.md §6.8: the app's follow-up questions, or 400 when the feature is off. */
function handleSuggested(app: FakeDifyApp, res: ServerResponse): void {
  if (app.suggestions === undefined)
    return sendDifyError(res, difyError(400, 'bad_request', 'Suggested Questions Is Disabled.'));
  res
    .writeHead(200, { 'Content-Type': 'application/json' })
    .end(JSON.stringify({ result: 'success', data: app.suggestions }));
}

/** dify-api.md §6.7: rating like | dislike | null, and the same `user` that received the message. */
function handleFeedback(body: unknown, res: ServerResponse): void {
  const { rating, user } = (body ?? {}) as { rating?: unknown; user?: unknown };
  if (typeof user !== 'string' || user === '')
    return sendDifyError(res, difyError(400, 'invalid_param', 'Arg user must be provided.'));
  if (rating !== 'like' && rating !== 'dislike' && rating !== null)
    return sendDifyError(res, difyError(400, 'invalid_param', 'rating must be like, dislike or null'));
  res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"result":"success"}');
}

async function handle(deps: RunDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const raw = await readBody(req);
  const underV1 = url.pathname.startsWith('/v1/');
  const path = underV1 ? url.pathname.slice('/v1'.length) : url.pathname;
  const method = req.method ?? 'GET';
  const apiKey = bearerOf(req.headers.authorization);
  const body = recordedBody(raw, req.headers['content-type']);
  deps.state.requests.push({
    method,
    path,
    query: queryRecord(url),
    headers: req.headers,
    body,
    at: Date.now(),
    apiKey,
  });
  if (!underV1 && (method === 'GET' || method === 'HEAD') && path.startsWith('/files/')) {
    return deps.state.served.respond(url, method, res);
  }
  const route = underV1 ? matchRoute(method, path) : undefined;
  if (!route) {
    return sendDifyError(
      res,
      difyError(
        404,
        'not_found',
        'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.',
      ),
    );
  }
  const app = authenticate(req.headers.authorization, deps.state.apps);
  if (isDifyError(app)) return sendDifyError(res, app);
  await dispatch(deps, route, app, req, raw, res);
}

export async function startFakeDify(opts: StartFakeDifyOptions = {}): Promise<FakeDify> {
  const state = new FakeDifyState();
  for (const app of opts.apps ?? []) state.addApp(app);
  state.uploadLimitsMb = { ...DEFAULT_UPLOAD_LIMITS_MB, ...opts.uploadLimitsMb };
  const deps: RunDeps = { state, pingIntervalMs: opts.pingIntervalMs };
  const local = await listenLocal((req, res) => {
    handle(deps, req, res).catch((err: unknown) => {
      sendDifyError(res, difyError(500, 'internal_server_error', `fake Dify failed: ${String(err)}`));
    });
  });
  return {
    baseUrl: `${local.origin}/v1`,
    origin: local.origin,
    requests: state.requests,
    uploads: state.uploads,
    addApp: (app) => state.addApp(app),
    script: (apiKey, ...replies) => {
      for (const reply of replies) if (reply.kind === 'fixture') fixturePath(reply.name);
      state.script(apiKey, replies);
    },
    runRequests: (apiKey) =>
      state.requests.filter(
        (r) => r.method === 'POST' && Object.hasOwn(RUN_PATHS, r.path) && (apiKey === undefined || r.apiKey === apiKey),
      ),
    conversationsOf: (apiKey, user) => state.conversationsOf(apiKey, user),
    forgetConversations: (apiKey, user) => state.forgetConversations(apiKey, user),
    failNextUpload: (apiKey, status, body) => state.failNextUpload(apiKey, { status, body }),
    serveFile: (fileOpts) => {
      const path = state.served.addToolFile(fileOpts);
      return { path, url: `${local.origin}${path}` };
    },
    forms: state.humanInput.forms,
    expireForm: (token) => state.humanInput.expire(token),
    failFormSubmits: (count) => state.humanInput.failSubmits(count),
    close: async () => {
      for (const task of state.tasks.values()) task.stream.abort();
      state.humanInput.close();
      await local.close();
    },
  };
}
