import { stripMentions } from './mentions';
import type { QuotedMessage, UserMessage } from './wecom/inbound';

/**
 * What the agent is asked for one WeCom message. Text and voice (WeCom's own transcript,
 * wecom-aibot-protocol.md §5.6) are answered; messages that need media (image, file, video, mixed)
 * are declined with a notice until inbound media is supported.
 */
export type TurnQuery =
  | { readonly kind: 'ask'; readonly query: string }
  | { readonly kind: 'empty' }
  | { readonly kind: 'unsupported'; readonly msgtype: string };

/** A quote becomes context in front of the question (§5.8). */
function describeQuote(quote: QuotedMessage): string {
  switch (quote.msgtype) {
    case 'text':
      return quote.text.content;
    case 'voice':
      return quote.voice.content;
    case 'mixed':
      return quote.mixed.msg_item.map((item) => (item.msgtype === 'text' ? item.text.content : '[图片]')).join('');
    case 'image':
      return '[图片]';
    case 'file':
      return '[文件]';
    case 'video':
      return '[视频]';
    case 'unsupported':
      return '[暂不支持的消息]';
    default: {
      const exhaustive: never = quote;
      return String(exhaustive);
    }
  }
}

function withQuote(question: string, quote: QuotedMessage | undefined): string {
  if (quote === undefined) return question;
  const context = describeQuote(quote).trim();
  if (context === '') return question;
  return `以下是我引用的消息：\n${context}\n\n${question}`;
}

export function buildTurnQuery(message: UserMessage, mentionNames: readonly string[]): TurnQuery {
  let question: string;
  switch (message.msgtype) {
    case 'text':
      question = message.chattype === 'group' ? stripMentions(message.text.content, mentionNames) : message.text.content.trim();
      break;
    case 'voice':
      question = message.voice.content.trim();
      break;
    case 'image':
    case 'mixed':
    case 'file':
    case 'video':
      return { kind: 'unsupported', msgtype: message.msgtype };
    default: {
      const exhaustive: never = message;
      return { kind: 'unsupported', msgtype: String(exhaustive) };
    }
  }
  if (question === '') return { kind: 'empty' };
  return { kind: 'ask', query: withQuote(question, message.quote) };
}
