/**
 * What the interactions API tests share: API keys (one with a webhookSecret), a real HTTP receiver for
 * the webhook on 127.0.0.1 that records every call and answers with the statuses it is told, and the
 * calls an app makes (POST a batch, GET it, wait for it).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ClientFrame } from '../../fakes/fakeWecomWs';
import { wsCardEvent, wsText } from '../../fakes/fakeWecomWs';
import { type Harness, WS_BOT } from '../harness';
import { wsChat } from '../wsChat';
import { OPERATOR, cardOf, markdownOf } from './hilKit';

export const BRIDGIC_KEY = 'bridgic-key-0123456789abcdef';
export const WEBHOOK_SECRET = 'webhook-secret-0123456789';
export const OTHER_KEY = 'other-key-0123456789abcdef00';

/**
 * HIL_API_KEYS for these tests: `bridgic` signs with WEBHOOK_SECRET, `other` is a second tenant; an
 * operator, to make a key in the admin API (such a key has no webhookSecret).
 */
export function interactionsEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    HIL_API_KEYS: JSON.stringify({
      bridgic: { key: BRIDGIC_KEY, webhookSecret: WEBHOOK_SECRET },
      other: OTHER_KEY,
    }),
    FIRST_SUPERUSER: OPERATOR.email,
    FIRST_SUPERUSER_PASSWORD: OPERATOR.password,
    HIL_CALLBACK_ALLOW_PRIVATE_NETWORKS: 'true',
    HIL_CALLBACK_RETRY_DELAYS_MS: '300,300,300',
    ...extra,
  };
}

export interface ReceivedCall {
  readonly at: number;
  readonly headers: IncomingHttpHeaders;
  readonly raw: Buffer;
  readonly json: Record<string, unknown>;
}

export interface Receiver {
  readonly url: string;
  readonly calls: ReceivedCall[];
  /** The statuses of the next answers, in order; 204 once they are used up. */
  failNext(...statuses: number[]): void;
  waitForCalls(count: number, timeoutMs?: number): Promise<ReceivedCall[]>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const calls: ReceivedCall[] = [];
  const statuses: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      calls.push({ at: Date.now(), headers: req.headers, raw, json: JSON.parse(raw.toString('utf8')) });
      res.statusCode = statuses.shift() ?? 204;
      res.end();
    });
  }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/bridgic?token=abc`;
  return {
    url,
    calls,
    failNext: (...s) => statuses.push(...s),
    async waitForCalls(count, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (calls.length < count && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      if (calls.length < count) throw new Error(`receiver got ${calls.length} calls, wanted ${count}`);
      return calls;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** What a receiver does first: the exact body's HMAC-SHA256 against X-Hub-Signature-256, in constant time. */
export function signatureValid(call: ReceivedCall, secret: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(call.raw).digest('hex')}`);
  const given = Buffer.from(String(call.headers['x-hub-signature-256'] ?? ''));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface ApiAnswer {
  readonly status: number;
  readonly json: Record<string, unknown>;
}

export async function api(
  h: Harness,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  key: string | null = BRIDGIC_KEY,
): Promise<ApiAnswer> {
  const res = await fetch(`${h.url}/api/hil/v1/interactions${path}`, {
    method,
    headers: {
      ...(key === null ? {} : { Authorization: `Bearer ${key}` }),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** A Bridgic interaction id: 32 hex, as uuid4().hex makes it (hil-clients.md). */
export function interactionId(): string {
  return randomBytes(16).toString('hex');
}

/** Bridgic's tutorial event: a yes/no question (→ an approval card). */
export function yesNo(id: string, prompt: string): Record<string, unknown> {
  return {
    interaction_id: id,
    event: { event_type: 'if_continue', timestamp: new Date().toISOString(), data: { prompt, answer: 'yes_no' } },
  };
}

/** bridgic-amphibious's request_human event (→ a quote-reply question). */
export function humanInput(id: string, prompt: string): Record<string, unknown> {
  return {
    interaction_id: id,
    event: { event_type: 'HUMAN_INPUT_REQUEST', timestamp: new Date().toISOString(), data: { prompt, timeout: 60 } },
  };
}

export function pushesTo(h: Harness, userid: string): ClientFrame[] {
  return h.ws!.frames.filter((f) => f.cmd === 'aibot_send_msg' && f.body?.['chatid'] === userid);
}

/** Waits until `count` messages were pushed to `userid` and returns them. */
export async function waitPushes(h: Harness, userid: string, count: number): Promise<ClientFrame[]> {
  for (let i = 0; i < 400 && pushesTo(h, userid).length < count; i += 1) await new Promise((r) => setTimeout(r, 25));
  const pushes = pushesTo(h, userid);
  if (pushes.length < count) throw new Error(`${pushes.length} pushes to ${userid}, wanted ${count}`);
  return pushes;
}

/** The person quote-replies to a pushed markdown question. */
export async function quoteReply(h: Harness, userid: string, question: ClientFrame, text: string): Promise<string> {
  const quote = { msgtype: 'text', text: { content: markdownOf(question) } };
  const reply = await wsChat(h.ws!, wsText(text, { userid, quote }));
  return reply.final?.content ?? '';
}

/** The person clicks a pushed approval card's button (0 批准, 1 拒绝). */
export async function clickCard(h: Harness, userid: string, card: ClientFrame, button: 0 | 1): Promise<void> {
  const { taskId, keys } = cardOf(card);
  const reqId = h.ws!.pushEvent(
    WS_BOT.botId,
    wsCardEvent({ cardType: 'button_interaction', eventKey: keys[button] as string, taskId }, { userid }),
  );
  await h.ws!.waitForFrame((f) => f.reqId === reqId && f.cmd === 'aibot_respond_update_msg');
}

export function isCard(frame: ClientFrame): boolean {
  return frame.body?.['msgtype'] === 'template_card';
}

/** A key made in the admin API by the operator: it has no webhookSecret. */
export async function adminMadeKey(h: Harness, name: string): Promise<string> {
  const login = await fetch(`${h.url}/api/v1/login/access-token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: OPERATOR.email, password: OPERATOR.password }).toString(),
  });
  const { access_token: token } = (await login.json()) as { access_token: string };
  const made = await fetch(`${h.url}/api/v1/api-keys/`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  return ((await made.json()) as { data: { key: string } }).data.key;
}
