import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * The SSE side of the fake Dify (dify-api.md §4.1, §4.2): chat-family events, one `data:` line
 * each. The query text picks the behaviour, so a load generator steers Dify through WeCom text.
 */

export type Scenario =
  | { readonly kind: 'quick' }
  | { readonly kind: 'hold'; readonly bytes: number }
  | { readonly kind: 'tokens'; readonly count: number; readonly intervalMs: number };

// Caps keep a typo in a bench scenario from exhausting the fake's memory or running for hours.
const MAX_HOLD_BYTES = 1024 * 1024;
const MAX_TOKENS = 100_000;
const PING_EVERY_MS = 10_000;
const PING = 'event: ping\n\n';

/** Searched anywhere in the query so a gateway that adds context around the user's words still matches. */
export function scenarioOf(query: string): Scenario {
  const tokens = /\btokens:(\d+):(\d+)/.exec(query);
  if (tokens !== null) {
    return { kind: 'tokens', count: Math.min(Number(tokens[1]), MAX_TOKENS), intervalMs: Number(tokens[2]) };
  }
  const hold = /\bhold:(\d+)/.exec(query);
  if (hold !== null) return { kind: 'hold', bytes: Math.min(Number(hold[1]), MAX_HOLD_BYTES) };
  return { kind: 'quick' };
}

/** Envelope of every chat event; created_at is the message's time, the same on each event (§4.2). */
interface Envelope {
  readonly conversation_id: string;
  readonly message_id: string;
  readonly created_at: number;
  readonly task_id: string;
}

function newEnvelope(): Envelope {
  return {
    conversation_id: randomUUID(),
    message_id: randomUUID(),
    created_at: Math.floor(Date.now() / 1000),
    task_id: randomUUID(),
  };
}

function send(res: ServerResponse, event: string, envelope: Envelope, fields: Record<string, unknown>): void {
  // Key order as in modern Dify: event, conversation_id, message_id, created_at, then payload.
  const { conversation_id, message_id, created_at, task_id } = envelope;
  const body = { event, conversation_id, message_id, created_at, task_id, id: message_id, ...fields };
  res.write(`data: ${JSON.stringify(body)}\n\n`);
}

function sendMessage(res: ServerResponse, envelope: Envelope, answer: string): void {
  send(res, 'message', envelope, { answer, from_variable_selector: null });
}

function finish(res: ServerResponse, envelope: Envelope): void {
  send(res, 'message_end', envelope, { metadata: { usage: { total_tokens: 0 } }, files: null });
  res.end();
}

/** Integer microseconds since the epoch, so the reader can compute each token's write-to-read delay. */
function epochMicros(): number {
  return Math.round(performance.timeOrigin * 1000 + performance.now() * 1000);
}

/**
 * Open holds get no timer of their own: one shared interval pings them all, so thousands of
 * idle streams cost one Set entry each.
 */
const holds = new Set<ServerResponse>();
setInterval(() => {
  for (const res of holds) res.write(PING);
}, PING_EVERY_MS).unref();

export function openHoldCount(): number {
  return holds.size;
}

function hold(res: ServerResponse, envelope: Envelope, bytes: number): void {
  sendMessage(res, envelope, 'x'.repeat(bytes));
  holds.add(res);
  res.once('close', () => holds.delete(res));
}

/** First token at once, then one per interval; a per-stream timer is needed for its own cadence. */
function tokens(res: ServerResponse, envelope: Envelope, count: number, intervalMs: number): void {
  let sent = 0;
  const tick = (): boolean => {
    if (res.destroyed) return false;
    if (sent < count) {
      sent += 1;
      sendMessage(res, envelope, ` T${epochMicros()}`);
      if (sent < count) return true;
    }
    // message_end right behind the last token, as Dify does: no extra interval at the end.
    finish(res, envelope);
    return false;
  };
  if (!tick()) return;
  const timer = setInterval(() => {
    if (!tick()) clearInterval(timer);
  }, intervalMs);
  res.once('close', () => clearInterval(timer));
}

export function answerChat(res: ServerResponse, query: string): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
  const envelope = newEnvelope();
  const scenario = scenarioOf(query);
  switch (scenario.kind) {
    case 'hold':
      return hold(res, envelope, scenario.bytes);
    case 'tokens':
      return tokens(res, envelope, scenario.count, scenario.intervalMs);
    case 'quick':
      sendMessage(res, envelope, 'ok');
      return finish(res, envelope);
  }
}
