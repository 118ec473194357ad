/**
 * WeCom's polling loop (wecom-aibot-protocol.md §5.9, §6.2): send a message, then refresh the
 * stream about once a second until a reply has finish:true, at most 6 minutes after sending. A template
 * card that comes along (stream_with_template_card §6.4, or a plain template_card reply §6.3) is kept.
 */
import type { Credentials } from './args';
import { postCallback } from './callbacks';
import { CliError } from './errors';
import { pollPayload, type Sender } from './payloads';

export interface StreamReply {
  id: string;
  finish: boolean;
  content: string;
  msgItems: unknown[];
  /** The template_card of a stream_with_template_card reply (§6.4). */
  card: Record<string, unknown> | undefined;
}

export interface ChatResult {
  final: StreamReply;
  polls: number;
  firstReplyMs: number;
  /** ms from sending to the first poll whose content differs from the first reply. */
  firstTokenMs: number | undefined;
  finishMs: number;
  /** The card sent with the answer (at most once per message, §6.4), or as the whole reply (§6.3). */
  card: Record<string, unknown> | undefined;
}

export interface ChatOptions {
  intervalMs: number;
  /** Called with each snapshot as it arrives (full text, not a delta). */
  onSnapshot: (reply: StreamReply) => void;
}

const MAX_MS = 6 * 60 * 1000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function asStream(reply: Record<string, unknown> | undefined, what: string): StreamReply {
  if (reply === undefined) throw new CliError(`${what}: the gateway sent an empty reply, expected a stream (§6.2)`);
  const stream = reply['stream'] as Record<string, unknown> | undefined;
  const isStream = reply['msgtype'] === 'stream' || reply['msgtype'] === 'stream_with_template_card';
  if (!isStream || typeof stream?.['id'] !== 'string' || typeof stream['finish'] !== 'boolean') {
    throw new CliError(`${what}: the reply is not a stream: ${JSON.stringify(reply).slice(0, 300)}`);
  }
  const msgItems = Array.isArray(stream['msg_item']) ? (stream['msg_item'] as unknown[]) : [];
  const card = reply['msgtype'] === 'stream_with_template_card' ? cardOf(reply, what) : undefined;
  return { id: stream['id'], finish: stream['finish'], content: String(stream['content'] ?? ''), msgItems, card };
}

function cardOf(reply: Record<string, unknown>, what: string): Record<string, unknown> {
  const card = reply['template_card'];
  if (typeof card !== 'object' || card === null || Array.isArray(card))
    throw new CliError(`${what}: ${String(reply['msgtype'])} without a template_card object`);
  return card as Record<string, unknown>;
}

export async function runChat(
  url: URL,
  creds: Credentials,
  message: Record<string, unknown>,
  sender: Sender,
  opts: ChatOptions,
): Promise<ChatResult> {
  const started = Date.now();
  const first = await postCallback(url, creds, message);
  if (first.reply?.['msgtype'] === 'template_card') {
    // §6.3: a card instead of a stream is a complete answer; WeCom does not poll it.
    const final: StreamReply = { id: '', finish: true, content: '', msgItems: [], card: undefined };
    const card = cardOf(first.reply, 'first reply');
    return { final, polls: 0, firstReplyMs: first.ms, firstTokenMs: undefined, finishMs: Date.now() - started, card };
  }
  let latest = asStream(first.reply, 'first reply');
  let card = latest.card;
  const firstContent = latest.content;
  opts.onSnapshot(latest);
  let polls = 0;
  let firstTokenMs: number | undefined;
  while (!latest.finish) {
    if (Date.now() - started > MAX_MS)
      throw new CliError(`no finish:true within 6 minutes (${polls} polls); WeCom stops polling here`);
    await sleep(opts.intervalMs);
    polls += 1;
    const next = asStream((await postCallback(url, creds, pollPayload(latest.id, sender))).reply, `poll #${polls}`);
    if (next.id !== latest.id)
      throw new CliError(`poll #${polls}: stream id changed from ${latest.id} to ${next.id} (§6.2: keep it stable)`);
    if (firstTokenMs === undefined && next.content !== firstContent) {
      firstTokenMs = Date.now() - started;
    }
    if (next.card !== undefined && card !== undefined)
      throw new CliError(`poll #${polls}: a second template card for the same message (§6.4: only once)`);
    card ??= next.card;
    latest = next;
    opts.onSnapshot(latest);
  }
  return { final: latest, polls, firstReplyMs: first.ms, firstTokenMs, finishMs: Date.now() - started, card };
}
