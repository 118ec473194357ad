/**
 * Bodies of the long-connection callbacks (wecom-aibot-protocol.md §12): the same JSON as the
 * HTTP callbacks of §5 (field order and shapes mirror ../fakeWecom/payloads.ts), except that
 * nothing carries a response_url and media carry an `aeskey` next to their `url`.
 */
import { randomMsgid } from '../fakeWecom/payloads';
import type { WsBody } from './types';

/** Default bot id: in long-connection mode the subscribe bot_id is the aibotid of callbacks. */
export const WS_BOT_ID = 'aibWSFAKEBOT0001';

export interface WsOpts {
  /** Defaults to WS_BOT_ID. */
  aibotid?: string;
  userid?: string;
  /** Only sent for group chats (a random one when omitted there). */
  chatid?: string;
  chattype?: 'single' | 'group';
  msgid?: string;
  /** §5.8, only kept on text and mixed. */
  quote?: Record<string, unknown>;
}

export type WsMixedItem =
  { msgtype: 'text'; text: { content: string } } | { msgtype: 'image'; image: { url: string; aeskey: string } };

/** The fields every callback shares (§5.1), in the order of the documented examples. */
function common(opts: WsOpts): WsBody {
  const chattype = opts.chattype ?? 'single';
  const out: WsBody = { msgid: opts.msgid ?? randomMsgid(), aibotid: opts.aibotid ?? WS_BOT_ID };
  if (chattype === 'group') out['chatid'] = opts.chatid ?? `wr${randomMsgid().slice(0, 16)}`;
  out['chattype'] = chattype;
  out['from'] = { userid: opts.userid ?? 'zhangsan' };
  return out;
}

function message(msgtype: string, content: unknown, opts: WsOpts): WsBody {
  const out: WsBody = { ...common(opts), msgtype, [msgtype]: content };
  if (opts.quote && (msgtype === 'text' || msgtype === 'mixed')) out['quote'] = opts.quote;
  return out;
}

export const wsText = (content: string, opts: WsOpts = {}): WsBody => message('text', { content }, opts);
/** Single chat only in real traffic (§5.2). */
export const wsImage = (url: string, aeskey: string, opts: WsOpts = {}): WsBody =>
  message('image', { url, aeskey }, opts);
export const wsMixed = (items: WsMixedItem[], opts: WsOpts = {}): WsBody => message('mixed', { msg_item: items }, opts);
/** WeCom's speech-to-text result; no audio (§5.6). */
export const wsVoice = (content: string, opts: WsOpts = {}): WsBody => message('voice', { content }, opts);
export const wsFile = (url: string, aeskey: string, opts: WsOpts = {}): WsBody =>
  message('file', { url, aeskey }, opts);
export const wsVideo = (url: string, aeskey: string, opts: WsOpts = {}): WsBody =>
  message('video', { url, aeskey }, opts);

/** §5.10 layout: msgid, create_time, then the common fields, `event` keyed by its type. */
function event(eventtype: string, detail: WsBody | undefined, opts: WsOpts): WsBody {
  const { msgid, ...rest } = common(opts);
  const content: WsBody = { eventtype };
  if (detail) content[eventtype] = detail;
  return { msgid, create_time: Math.floor(Date.now() / 1000), ...rest, msgtype: 'event', event: content };
}

/** Single chat, no chatid (§5.10). */
export const wsEnterChat = (opts: WsOpts = {}): WsBody =>
  event('enter_chat', undefined, { ...opts, chattype: 'single' });

export interface WsCardEvent {
  eventKey: string;
  taskId: string;
  cardType: string;
  selectedItems?: Array<{ question_key: string; option_ids: { option_id: string[] } }>;
}

/** JSON keys as in the doc's examples (card_type/event_key), not its parameter table (§5.10). */
export function wsCardEvent(card: WsCardEvent, opts: WsOpts = {}): WsBody {
  const detail: WsBody = { card_type: card.cardType, event_key: card.eventKey, task_id: card.taskId };
  if (card.selectedItems) detail['selected_items'] = { selected_item: card.selectedItems };
  return event('template_card_event', detail, opts);
}

export interface WsFeedback {
  id: string;
  /** 1 accurate, 2 inaccurate, 3 cancel. */
  type: 1 | 2 | 3;
  content?: string;
  reasons?: number[];
}

export function wsFeedback(feedback: WsFeedback, opts: WsOpts = {}): WsBody {
  const detail: WsBody = { id: feedback.id, type: feedback.type };
  if (feedback.content !== undefined) detail['content'] = feedback.content;
  if (feedback.reasons) detail['inaccurate_reason_list'] = feedback.reasons;
  return event('feedback_event', detail, opts);
}

/** What the server sends an old connection before closing it for a newer one (§12). */
export function wsDisconnected(aibotid: string): WsBody {
  return {
    msgid: randomMsgid(),
    create_time: Math.floor(Date.now() / 1000),
    aibotid,
    msgtype: 'event',
    event: { eventtype: 'disconnected_event' },
  };
}
