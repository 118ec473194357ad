/**
 * Turns the reply chosen for a run (default, scripted stream, or fixture) into SSE frames plus
 * the parsed events, and the run context the frames really carry.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { encodeFrame, parseFrames, splitFrames } from './encoding';
import { fillEnvelope } from './envelope';
import { defaultEvents } from './scenarios';
import type { SseOptions } from './sseWriter';
import type { JsonStyle, RunContext, ScriptedReply } from './types';

type Ev = Record<string, unknown>;
type StreamReply = Extract<ScriptedReply, { kind: 'stream' | 'fixture' }>;

export interface PreparedReply {
  ctx: RunContext;
  frames: Buffer[];
  /** The data events (pings left out), as the client will parse them. */
  events: Ev[];
  style: JsonStyle;
  options: SseOptions;
}

const FIXTURE_DIR = resolve(__dirname, '..', '..', 'fixtures', 'dify');

/** Path of `tests/fixtures/dify/<name>.sse`; throws early (at script time) when it is missing. */
export function fixturePath(name: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`bad fixture name ${JSON.stringify(name)}`);
  const path = join(FIXTURE_DIR, `${name}.sse`);
  if (!existsSync(path)) throw new Error(`no Dify fixture ${path}`);
  return path;
}

/**
 * Fixtures are sent byte-exact, so the ids on the wire are the fixture's. The run context is
 * re-pointed at them so that stop events and blocking bodies agree with what the client saw.
 */
function fixtureContext(ctx: RunContext, events: Ev[]): RunContext {
  const pick = (key: string): unknown => events.find((ev) => ev[key] !== undefined)?.[key];
  const str = (key: string, fallback: string): string => {
    const value = pick(key);
    return typeof value === 'string' ? value : fallback;
  };
  const createdAt = pick('created_at');
  const conversationId = pick('conversation_id');
  return {
    ...ctx,
    conversationId: typeof conversationId === 'string' ? conversationId : ctx.conversationId,
    messageId: str('message_id', ctx.messageId),
    taskId: str('task_id', ctx.taskId),
    workflowRunId: str('workflow_run_id', ctx.workflowRunId),
    createdAt: typeof createdAt === 'number' ? createdAt : ctx.createdAt,
  };
}

function prepareFixture(reply: Extract<ScriptedReply, { kind: 'fixture' }>, ctx: RunContext): PreparedReply {
  const body = readFileSync(fixturePath(reply.name));
  const frames = splitFrames(body);
  const events = parseFrames(frames);
  // F1L / F5b are json.dumps style (§10); stop events must match what is already on the wire.
  const style: JsonStyle = body.toString('utf8').startsWith('data: {"event": ') ? 'legacy' : 'compact';
  const { chunking, delayMs, headerDelayMs, end } = reply;
  const options: SseOptions = { chunking, delayMs, headerDelayMs, end };
  return { ctx: fixtureContext(ctx, events), frames, events, style, options };
}

function prepareEvents(raw: Array<Ev | 'ping'>, ctx: RunContext, style: JsonStyle, options: SseOptions): PreparedReply {
  const filled = raw.map((ev) => (ev === 'ping' ? ev : fillEnvelope(ev, ctx)));
  const frames = filled.map((ev) => encodeFrame(ev, style));
  const events = filled.filter((ev): ev is Ev => ev !== 'ping');
  return { ctx, frames, events, style, options };
}

/** Prepares the default reply (no script) or a scripted stream/fixture reply. */
export function prepareReply(reply: StreamReply | undefined, ctx: RunContext): PreparedReply {
  if (!reply) return prepareEvents(defaultEvents(ctx), ctx, 'compact', {});
  if (reply.kind === 'fixture') return prepareFixture(reply, ctx);
  const { chunking, delayMs, headerDelayMs, end } = reply;
  return prepareEvents(reply.events, ctx, reply.jsonStyle ?? 'compact', { chunking, delayMs, headerDelayMs, end });
}

/** Every conversation id the client will see; each gets registered for (app, user). */
export function conversationIdsOf(events: Ev[]): string[] {
  const ids = events
    .map((ev) => ev['conversation_id'])
    .filter((id): id is string => typeof id === 'string' && id !== '');
  return [...new Set(ids)];
}
