import type { ChatAddress, ChatOutbox, OutboundMessage, OutboxResult } from '../channel';
import { markdownMessageJson } from '../wecom/reply';
import type { ResponseUrlClient } from '../wecom/responseUrlClient';
import { templateCardReplyJson } from '../wecom/templateCards';
import type { ResponseUrlBook } from './responseUrlBook';

/**
 * A callback bot cannot speak first: it sends through a fresh response_url the chat left (§9), once
 * each. Cards go only where that URL came from a single chat.
 */
export class ResponseUrlOutbox implements ChatOutbox {
  constructor(
    private readonly book: ResponseUrlBook,
    private readonly client: ResponseUrlClient,
  ) {}

  async send(to: ChatAddress, message: OutboundMessage): Promise<OutboxResult> {
    if (message.kind === 'card' && to.chattype !== 'single')
      return { kind: 'not_sent', reason: 'card_needs_single_chat' };
    const json = bodyOf(message);
    if (json === undefined) return { kind: 'not_sent', reason: 'invalid_message' };
    const url = this.book.take(to);
    if (url === undefined) return { kind: 'not_sent', reason: 'no_response_url' };
    const sent = await this.client.post(url, json, { bot: to.botKey, chattype: to.chattype, outbox: message.kind });
    return sent ? { kind: 'sent' } : { kind: 'not_sent', reason: 'refused' };
  }
}

function bodyOf(message: OutboundMessage): string | undefined {
  switch (message.kind) {
    case 'markdown':
      return markdownMessageJson(message.text);
    case 'card':
      try {
        return templateCardReplyJson(message.card);
      } catch {
        return undefined;
      }
    default: {
      const exhaustive: never = message;
      return exhaustive;
    }
  }
}
