import type { QuotedMessage, UserMessage } from '../../services/wecom/inbound';
import { stripMentions } from '../../services/wecom/mentions';

/**
 * Reads a WeCom message as an answer to a request (hil.md §7.4): a quote of a message headed
 * `[#<short_id> …]` (the `quote` field, §5.8, or the `「…」` prefix the long connection was seen to
 * send), an explicit `#<short_id> text`, `/approve <id> [理由]`, `/reject <id> [理由]`, the `/pending`
 * (待办) and `/chatid` commands, or plain text. Pure: what the text means for which request is decided elsewhere.
 */
export type ReplyIntent =
  | { readonly kind: 'command'; readonly decision: Decision; readonly shortId: string; readonly reason: string }
  | { readonly kind: 'pending' }
  | { readonly kind: 'chatid' }
  | { readonly kind: 'addressed'; readonly shortId: string; readonly text: string }
  | { readonly kind: 'plain'; readonly text: string };

export type Decision = 'approved' | 'rejected';

const SHORT_ID_IN_QUOTE = /\[#([0-9a-f]{8})\b/;
const HASH_ID = /^#([0-9a-f]{8})(?:[\s,，:：]+|$)([\s\S]*)$/;
const COMMAND = /^\/(approve|reject)\s+#?([0-9a-f]{8})(?:\s+([\s\S]*))?$/i;
const PENDING = /^(\/pending|待办)$/i;
/** hil-mcp's idle hint tells a person their chat_id (hil.md §4.4); here they ask for it. */
const CHAT_ID = /^\/chat_?id$/i;
/** `「quoted」` then an optional separator line of dashes, then the reply. */
const PREFIX_QUOTE = /^「([\s\S]*?)」[ \t]*(?:\n[-—－ \t]+(?=\n))?\s*([\s\S]*)$/;

/** After a quote or an id anything may decide; without one only words nobody types by chance (§7.4 item 2). */
const LOOSE_DECISION = /^(同意|批准|approve|yes|拒绝|驳回|reject|no)(?=$|[\s，,。.！!：:、;；])/i;
const STRICT_DECISION = /^(同意|批准|approve|拒绝|驳回|reject)(?=$|[\s，,。.！!：:、;；])/i;
const REJECT_WORDS = new Set(['拒绝', '驳回', 'reject', 'no']);

export function textOfMessage(message: UserMessage, mentionNames: readonly string[]): string {
  switch (message.msgtype) {
    case 'text':
      return stripMentions(message.text.content, mentionNames);
    case 'voice':
      return stripMentions(message.voice.content, mentionNames);
    case 'mixed':
      return stripMentions(
        message.mixed.msg_item.map((item) => (item.msgtype === 'text' ? item.text.content : '')).join(''),
        mentionNames,
      );
    case 'image':
    case 'file':
    case 'video':
      return '';
    default: {
      const exhaustive: never = message;
      return exhaustive;
    }
  }
}

function quotedText(quote: QuotedMessage | undefined): string {
  if (quote === undefined) return '';
  if (quote.msgtype === 'text') return quote.text.content;
  if (quote.msgtype === 'mixed')
    return quote.mixed.msg_item.map((item) => (item.msgtype === 'text' ? item.text.content : '')).join('');
  return '';
}

export function readReply(message: UserMessage, mentionNames: readonly string[]): ReplyIntent {
  let text = textOfMessage(message, mentionNames);
  let quoted = quotedText(message.quote);
  const prefixed = quoted === '' ? PREFIX_QUOTE.exec(text) : null;
  if (prefixed !== null) {
    quoted = prefixed[1] ?? '';
    text = (prefixed[2] ?? '').trim();
  }
  const inQuote = SHORT_ID_IN_QUOTE.exec(quoted);
  if (inQuote !== null) return { kind: 'addressed', shortId: inQuote[1] as string, text };
  const command = COMMAND.exec(text);
  if (command !== null) {
    const decision = (command[1] as string).toLowerCase() === 'approve' ? 'approved' : 'rejected';
    return { kind: 'command', decision, shortId: command[2] as string, reason: (command[3] ?? '').trim() };
  }
  if (PENDING.test(text)) return { kind: 'pending' };
  if (CHAT_ID.test(text)) return { kind: 'chatid' };
  const hash = HASH_ID.exec(text);
  if (hash !== null) return { kind: 'addressed', shortId: hash[1] as string, text: (hash[2] ?? '').trim() };
  return { kind: 'plain', text };
}

/** `同意 没问题` → approved, reason 没问题. `strict` for text that names no request (see STRICT_DECISION). */
export function readDecision(text: string, strict: boolean): { decision: Decision; reason: string } | undefined {
  const match = (strict ? STRICT_DECISION : LOOSE_DECISION).exec(text.trim());
  if (match === null) return undefined;
  const word = (match[1] as string).toLowerCase();
  const reason = text
    .trim()
    .slice(match[0].length)
    .replace(/^[\s，,。.！!：:、;；]+/, '')
    .trim();
  return { decision: REJECT_WORDS.has(word) ? 'rejected' : 'approved', reason };
}
