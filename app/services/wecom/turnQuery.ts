import { stripMentions } from './mentions';
import type { MixedItem, QuotedMessage, UserMessage } from './inbound';

/**
 * What the agent is asked for one WeCom message: the user's words in order, with their images,
 * files and videos as attachments at the places they appeared (mixed messages keep their order,
 * wecom-aibot-protocol.md §5.5), and the quoted message as context (§5.8). Voice arrives as WeCom's
 * own transcript (§5.6).
 */
export type AttachmentKind = 'image' | 'file' | 'video';

export interface Attachment {
  readonly kind: AttachmentKind;
  /** Encrypted, valid for 5 minutes (§10). */
  readonly url: string;
  /** Long-connection mode gives each medium its own key (§12); callbacks use the bot's key. */
  readonly aeskey: string | undefined;
  readonly fromQuote: boolean;
}

export type QueryPiece = { readonly text: string } | { readonly attachment: number };

export type TurnQuery =
  | {
      readonly kind: 'ask';
      readonly pieces: readonly QueryPiece[];
      readonly quote: readonly QueryPiece[] | undefined;
      readonly attachments: readonly Attachment[];
    }
  | { readonly kind: 'empty' };

class PieceCollector {
  readonly attachments: Attachment[] = [];

  text(content: string): QueryPiece[] {
    return content === '' ? [] : [{ text: content }];
  }

  media(kind: AttachmentKind, media: { url: string; aeskey?: string | undefined }, fromQuote: boolean): QueryPiece[] {
    this.attachments.push({ kind, url: media.url, aeskey: media.aeskey, fromQuote });
    return [{ attachment: this.attachments.length - 1 }];
  }

  mixed(items: readonly MixedItem[], clean: (text: string) => string, fromQuote: boolean): QueryPiece[] {
    return items.flatMap((item) =>
      item.msgtype === 'text' ? this.text(clean(item.text.content)) : this.media('image', item.image, fromQuote),
    );
  }
}

/** The message's own content, or the quote's (same structs, §5.8). */
function piecesOf(
  collector: PieceCollector,
  message: UserMessage | QuotedMessage,
  clean: (text: string) => string,
  fromQuote: boolean,
): QueryPiece[] {
  switch (message.msgtype) {
    case 'text':
      return collector.text(clean(message.text.content));
    case 'voice':
      return collector.text(message.voice.content.trim());
    case 'mixed':
      return collector.mixed(message.mixed.msg_item, clean, fromQuote);
    case 'image':
      return collector.media('image', message.image, fromQuote);
    case 'file':
      return collector.media('file', message.file, fromQuote);
    case 'video':
      return collector.media('video', message.video, fromQuote);
    case 'unsupported':
      return [{ text: '[暂不支持显示的消息]' }];
    default: {
      const exhaustive: never = message;
      return exhaustive;
    }
  }
}

export function buildTurnQuery(message: UserMessage, mentionNames: readonly string[]): TurnQuery {
  const clean =
    message.chattype === 'group' ? (text: string) => stripMentions(text, mentionNames) : (text: string) => text.trim();
  const collector = new PieceCollector();
  const pieces = piecesOf(collector, message, clean, false);
  if (pieces.length === 0) return { kind: 'empty' };
  const quote =
    message.quote === undefined ? undefined : piecesOf(collector, message.quote, (text) => text.trim(), true);
  return {
    kind: 'ask',
    pieces,
    quote: quote !== undefined && quote.length > 0 ? quote : undefined,
    attachments: collector.attachments,
  };
}
