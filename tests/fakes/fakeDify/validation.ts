/**
 * Request checks in the order Dify raises them, all BEFORE any stream byte (dify-api.md §5.2):
 * token (§1.1) → app state (403) → JSON body (§5.1) → `user` → route vs mode (§1.2) →
 * pydantic field validation (§2) → agent blocking rejection (§1.2) → `query is required`.
 * The conversation lookup (404) comes after these, in the run handler.
 */
import type { DifyError, FakeDifyApp, RunRoute } from './types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A class (not a plain object) so a JSON body with `code`/`status` keys is never mistaken for one. */
class DifyErrorValue implements DifyError {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
    readonly headers?: Record<string, string>,
  ) {}
}

export function difyError(status: number, code: string, message: string, headers?: Record<string, string>): DifyError {
  return new DifyErrorValue(status, code, message, headers);
}

/** §1.1 `validate_and_get_api_token`: the three 401 messages, all with WWW-Authenticate. */
export function authenticate(header: string | undefined, apps: Map<string, FakeDifyApp>): FakeDifyApp | DifyError {
  const unauthorized = (message: string): DifyError =>
    difyError(401, 'unauthorized', message, { 'WWW-Authenticate': 'Bearer realm="api"' });
  if (!header || !header.includes(' ')) {
    return unauthorized("Authorization header must be provided and start with 'Bearer'");
  }
  const [scheme = '', token = ''] = header.split(' ', 2);
  if (scheme.toLowerCase() !== 'bearer') return unauthorized("Authorization scheme must be 'Bearer'");
  const app = apps.get(token.trim());
  if (!app) return unauthorized('Access token is invalid');
  if (app.disabled) return difyError(403, 'forbidden', "The app's API service has been disabled.");
  return app;
}

/**
 * §5.1/§5.2: a non-JSON Content-Type → 415 (werkzeug), an empty or invalid body → 400
 * bad_request. Returns the parsed object.
 */
export function parseJsonBody(contentType: string | undefined, raw: Buffer): Record<string, unknown> | DifyError {
  if (!/^application\/json\b/i.test(contentType ?? '')) {
    return difyError(
      415,
      'unsupported_media_type',
      "Did not attempt to load JSON data because the request Content-Type was not 'application/json'.",
    );
  }
  const invalid = difyError(400, 'bad_request', 'Invalid JSON payload received or JSON payload is empty.');
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : invalid;
  } catch {
    return invalid;
  }
}

/** §1.3 / C-wraps: `user` is read from the JSON body before the controller runs. */
export function requireUser(body: Record<string, unknown>): string | DifyError {
  const user = body['user'];
  if (typeof user !== 'string' || user === '') return difyError(400, 'invalid_param', 'Arg user must be provided.');
  return user;
}

/** §1.2 notes: wrong route for the key's app. */
export function checkRoute(route: RunRoute, app: FakeDifyApp): DifyError | undefined {
  const chatModes = ['chat', 'agent-chat', 'advanced-chat', 'agent'];
  if (route === 'chat' && !chatModes.includes(app.mode)) {
    return difyError(400, 'not_chat_app', 'Please check if your app mode matches the right API route.');
  }
  if (route === 'workflow' && app.mode !== 'workflow') {
    return difyError(400, 'not_workflow_app', 'Please check if your app mode matches the right API route.');
  }
  if (route === 'completion' && app.mode !== 'completion') {
    return difyError(400, 'app_unavailable', 'App unavailable, please check your app configurations.');
  }
  return undefined;
}

/** A pydantic-style ValueError text; Dify returns str(e) as the message (§5.1). */
function pydantic(model: string, field: string, detail: string): DifyError {
  return difyError(400, 'invalid_param', `1 validation error for ${model}\n${field}\n  ${detail}`);
}

const MODELS: Record<RunRoute, string> = {
  chat: 'ChatRequestPayload',
  workflow: 'WorkflowRunPayload',
  completion: 'CompletionRequestPayload',
};

/** §2 field rules: `inputs` object (required), `response_mode` enum, `conversation_id` UUID. */
export function checkFields(route: RunRoute, body: Record<string, unknown>): DifyError | undefined {
  const model = MODELS[route];
  const inputs = body['inputs'];
  if (inputs === undefined) return pydantic(model, 'inputs', 'Field required [type=missing]');
  if (inputs === null || typeof inputs !== 'object' || Array.isArray(inputs)) {
    return pydantic(model, 'inputs', 'Input should be a valid dictionary [type=dict_type]');
  }
  const mode = body['response_mode'];
  if (mode !== undefined && mode !== null && mode !== 'streaming' && mode !== 'blocking') {
    return pydantic(model, 'response_mode', "Input should be 'blocking' or 'streaming' [type=literal_error]");
  }
  const files = body['files'];
  if (files !== undefined && files !== null && !Array.isArray(files)) {
    return pydantic(model, 'files', 'Input should be a valid list [type=list_type]');
  }
  const conversationId = body['conversation_id'];
  if (route === 'chat' && conversationId !== undefined && conversationId !== null && conversationId !== '') {
    if (typeof conversationId !== 'string' || !UUID.test(conversationId)) {
      return pydantic(model, 'conversation_id', 'Value error, conversation_id must be a valid UUID [type=value_error]');
    }
  }
  return undefined;
}

/** Generator-level checks (§1.2 agent rows, §2 `query`): agents first, then the query. */
export function checkGenerator(
  route: RunRoute,
  app: FakeDifyApp,
  body: Record<string, unknown>,
): DifyError | undefined {
  const streaming = body['response_mode'] === 'streaming';
  if (app.mode === 'agent-chat' && !streaming) {
    return difyError(400, 'invalid_param', 'Agent Chat App does not support blocking mode');
  }
  if (app.mode === 'agent' && !streaming) {
    return difyError(400, 'bad_request', 'Agent App only supports streaming response mode.');
  }
  const query = body['query'];
  if (route === 'chat' && (typeof query !== 'string' || query.replace(/\0/g, '') === '')) {
    return difyError(400, 'invalid_param', 'query is required');
  }
  if (route === 'completion' && query !== undefined && query !== null && typeof query !== 'string') {
    return pydantic(MODELS.completion, 'query', 'Input should be a valid string [type=string_type]');
  }
  return undefined;
}

export function isDifyError(value: unknown): value is DifyError {
  return value instanceof DifyErrorValue;
}
