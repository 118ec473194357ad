/**
 * The run endpoints (dify-api.md §1.2): POST /chat-messages, /workflows/run,
 * /completion-messages. Validation and the conversation lookup always happen first, exactly
 * like Dify raises them before streaming (§5.2); only then is a scripted reply consumed.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { blockingResponse } from './blocking';
import { encodeFrame } from './encoding';
import { fillEnvelope, isChatFamily } from './envelope';
import { conversationIdsOf, prepareReply, type PreparedReply } from './replies';
import { stopEvents } from './scenarios';
import { sendDifyError, sendJson, sendScriptedError } from './responses';
import { SseStream } from './sseWriter';
import type { FakeDifyState } from './state';
import type { DifyError, FakeDifyApp, RunContext, RunRoute } from './types';
import { checkFields, checkGenerator, checkRoute, difyError, isDifyError, requireUser } from './validation';

export interface RunDeps {
  state: FakeDifyState;
  pingIntervalMs?: number;
}

/** §5.2 order: user → route → fields → generator checks → conversation (404). */
function validateRun(
  state: FakeDifyState,
  route: RunRoute,
  app: FakeDifyApp,
  body: Record<string, unknown>,
): RunContext | DifyError {
  const user = requireUser(body);
  if (isDifyError(user)) return user;
  const failure = checkRoute(route, app) ?? checkFields(route, body) ?? checkGenerator(route, app, body);
  if (failure) return failure;
  const asked = route === 'chat' ? body['conversation_id'] : undefined;
  if (typeof asked === 'string' && asked !== '' && !state.ownsConversation(app.apiKey, user, asked)) {
    return difyError(404, 'not_found', 'Conversation Not Exists.');
  }
  return {
    mode: app.mode,
    user,
    query: typeof body['query'] === 'string' ? body['query'].replace(/\0/g, '') : '',
    inputs: body['inputs'] as Record<string, unknown>,
    // A fresh id is only registered once the client is about to see it (see register below).
    conversationId:
      typeof asked === 'string' && asked !== '' ? asked : isChatFamily(app.mode) ? randomUUID() : undefined,
    messageId: randomUUID(),
    taskId: randomUUID(),
    workflowRunId: randomUUID(),
    createdAt: Math.floor(Date.now() / 1000),
  };
}

export async function handleRun(
  deps: RunDeps,
  route: RunRoute,
  app: FakeDifyApp,
  body: Record<string, unknown>,
  res: ServerResponse,
): Promise<void> {
  const ctx = validateRun(deps.state, route, app, body);
  if (isDifyError(ctx)) return sendDifyError(res, ctx);
  const scripted = deps.state.nextReply(app.apiKey);
  if (scripted?.kind === 'error') return sendScriptedError(res, scripted);
  if (scripted?.kind === 'hang') return; // accepted, never answered; close() drops the socket
  // A run that pauses at a Human Input form: its events, and the form registered for the submit.
  const reply =
    scripted?.kind === 'humanInput'
      ? { kind: 'stream' as const, events: deps.state.humanInput.pauseEvents(scripted.form, ctx, app) }
      : scripted;
  const prepared = prepareReply(reply, ctx);
  // Fixtures carry their own conversation id: register it for this (app, user) so that a
  // follow-up turn using it continues instead of getting 404 (§1.3).
  for (const id of conversationIdsOf(prepared.events)) deps.state.registerConversation(app.apiKey, ctx.user, id);
  if (body['response_mode'] !== 'streaming') {
    const blocking = blockingResponse(prepared.events, prepared.ctx);
    return isDifyError(blocking) ? sendDifyError(res, blocking) : sendJson(res, 200, blocking);
  }
  await streamReply(deps, app, prepared, res);
}

async function streamReply(
  deps: RunDeps,
  app: FakeDifyApp,
  prepared: PreparedReply,
  res: ServerResponse,
): Promise<void> {
  const { ctx, style } = prepared;
  const stream = new SseStream(res, prepared.frames, { pingIntervalMs: deps.pingIntervalMs, ...prepared.options });
  const stopFrames = (): Buffer[] => stopEvents(ctx).map((ev) => encodeFrame(fillEnvelope(ev, ctx), style));
  deps.state.tasks.set(ctx.taskId, { apiKey: app.apiKey, user: ctx.user, ctx, stream, stopFrames });
  try {
    await stream.run();
  } finally {
    deps.state.tasks.delete(ctx.taskId);
  }
}
