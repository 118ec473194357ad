/**
 * Builders for every inbound AI-bot callback payload (decrypted JSON) of
 * wecom-aibot-protocol.md §5: user messages, the stream refresh poll, and events.
 * Field rules: chatid only in groups (§5.1), response_url only on user messages and
 * template_card_event (§5.1), `from.corpid` omitted for internal bots (§5.1 / D-101027).
 */
import { randomBytes, randomInt } from 'node:crypto';

export interface MessageOpts {
  userid?: string;
  chattype?: 'single' | 'group';
  chatid?: string;
  msgid?: string;
  responseUrl?: string;
  quote?: Record<string, unknown>;
}

export interface PayloadOpts extends MessageOpts {
  aibotid?: string;
}

export type MixedItem = { msgtype: 'text'; text: { content: string } } | { msgtype: 'image'; image: { url: string } };

type Payload = Record<string, unknown>;

/** 32 lowercase hex digits, the msgid shape seen in live traffic (§5.1). */
export function randomMsgid(): string {
  return randomBytes(16).toString('hex');
}

/** Digits only, like WeCom's nonces (§3, TV-1). */
export function randomNonce(): string {
  return String(randomInt(100_000_000, 2_000_000_000));
}

/** Unix seconds as a string, as in the callback query (§3, §4.1). */
export function unixSeconds(): string {
  return String(Math.floor(Date.now() / 1000));
}

/**
 * Default response_url: a loopback port that refuses connections, so a gateway that posts to
 * it fails fast and never reaches the internet. Use startResponseUrlServer() to receive posts.
 */
export function deadResponseUrl(): string {
  return `http://127.0.0.1:9/cgi-bin/aibot/response?response_code=${randomBytes(8).toString('hex')}`;
}

/** The fields every callback shares (§5.1), in the order of the documented examples. */
function common(opts: PayloadOpts, withResponseUrl: boolean): Payload {
  const chattype = opts.chattype ?? 'single';
  const out: Payload = { msgid: opts.msgid ?? randomMsgid(), aibotid: opts.aibotid ?? 'aibFAKEBOT0001' };
  if (chattype === 'group') out['chatid'] = opts.chatid ?? `wr${randomBytes(8).toString('hex')}`;
  out['chattype'] = chattype;
  out['from'] = { userid: opts.userid ?? 'zhangsan' };
  if (withResponseUrl) out['response_url'] = opts.responseUrl ?? deadResponseUrl();
  return out;
}

function userMessage(msgtype: string, body: unknown, opts: PayloadOpts): Payload {
  const out: Payload = { ...common(opts, true), msgtype, [msgtype]: body };
  if (opts.quote && (msgtype === 'text' || msgtype === 'mixed')) out['quote'] = opts.quote; // §5.8
  return out;
}

/** §5.3; in groups the @mention stays inside the content (§5.2). */
export const textPayload = (content: string, opts: PayloadOpts = {}): Payload => userMessage('text', { content }, opts);
/** §5.4 — single chat only in real traffic. */
export const imagePayload = (url: string, opts: PayloadOpts = {}): Payload => userMessage('image', { url }, opts);
/** §5.5 */
export const mixedPayload = (items: MixedItem[], opts: PayloadOpts = {}): Payload =>
  userMessage('mixed', { msg_item: items }, opts);
/** §5.6: WeCom's speech-to-text result, no audio URL. */
export const voicePayload = (content: string, opts: PayloadOpts = {}): Payload =>
  userMessage('voice', { content }, opts);
/** §5.7 */
export const filePayload = (url: string, opts: PayloadOpts = {}): Payload => userMessage('file', { url }, opts);
/** §5.7 (2026 revision) */
export const videoPayload = (url: string, opts: PayloadOpts = {}): Payload => userMessage('video', { url }, opts);

/** §5.9: the refresh poll; a fresh msgid each time and no response_url. */
export function streamRefreshPayload(streamId: string, opts: PayloadOpts = {}): Payload {
  return {
    ...common({ ...opts, msgid: opts.msgid ?? randomMsgid() }, false),
    msgtype: 'stream',
    stream: { id: streamId },
  };
}

function eventPayload(
  eventtype: string,
  detail: Payload | undefined,
  opts: PayloadOpts,
  withResponseUrl: boolean,
): Payload {
  const base = common(opts, withResponseUrl);
  const { msgid, ...rest } = base;
  const event: Payload = { eventtype };
  if (detail) event[eventtype] = detail;
  return { msgid, create_time: Math.floor(Date.now() / 1000), ...rest, msgtype: 'event', event };
}

/** §5.10: single chat, no chatid, no response_url. */
export function enterChatPayload(opts: PayloadOpts = {}): Payload {
  return eventPayload('enter_chat', undefined, { ...opts, chattype: 'single' }, false);
}

export interface TemplateCardEvent {
  card_type: string;
  event_key: string;
  task_id: string;
  selected_items?: { selected_item: Array<{ question_key: string; option_ids: { option_id: string[] } }> };
}

/** §5.10: carries response_url; JSON keys as in the doc's examples (card_type/event_key). */
export function templateCardEventPayload(detail: TemplateCardEvent, opts: PayloadOpts = {}): Payload {
  return eventPayload('template_card_event', { ...detail }, opts, true);
}

export interface FeedbackEvent {
  id: string;
  /** 1 accurate, 2 inaccurate, 3 cancel. */
  type: 1 | 2 | 3;
  content?: string;
  inaccurate_reason_list?: number[];
}

/** §5.10: only an empty reply is allowed. */
export function feedbackEventPayload(detail: FeedbackEvent, opts: PayloadOpts = {}): Payload {
  return eventPayload('feedback_event', { ...detail }, opts, false);
}
