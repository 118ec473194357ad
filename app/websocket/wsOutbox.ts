import type { Logger } from 'pino';
import type { ChatAddress, ChatOutbox, OutboundMessage, OutboxResult } from '../services/channel';
import { markdownMessageBody } from '../services/wecom/reply';
import { templateCardReplyBody } from '../services/wecom/templateCards';
import type { WsBotConnection } from './botConnection';
import { chatTargetAt } from './chatTarget';
import type { ConversationQuota } from './conversationQuota';
import { WsSendError } from './wsSendError';
import { sendFailureFields } from './wsDelivery';

/**
 * The long connection's ChatOutbox: a proactive aibot_send_msg (§12) on the bot's connection when this
 * instance holds it and it is up, counted against the chat's quota. WeCom delivers it only in a
 * conversation where the user has written to the bot before (hil.md §7.1).
 */
export class WsOutbox implements ChatOutbox {
  constructor(
    private readonly connectionOf: (botKey: string) => WsBotConnection | undefined,
    private readonly quota: ConversationQuota,
    private readonly logger: Logger,
  ) {}

  async send(to: ChatAddress, message: OutboundMessage): Promise<OutboxResult> {
    const conn = this.connectionOf(to.botKey);
    if (conn === undefined) return { kind: 'not_sent', reason: 'unknown_bot' };
    if (conn.state !== 'connected') return { kind: 'not_sent', reason: 'not_connected' };
    let body: Record<string, unknown>;
    try {
      body = message.kind === 'markdown' ? markdownMessageBody(message.text) : templateCardReplyBody(message.card);
    } catch {
      return { kind: 'not_sent', reason: 'invalid_message' };
    }
    const chat = chatTargetAt(to);
    try {
      await this.quota.acquire(chat.quotaKey);
      await conn.sendMessage(chat.chatid, body);
      return { kind: 'sent' };
    } catch (err) {
      this.logger.warn(
        { bot: to.botKey, outbox: message.kind, ...sendFailureFields(err) },
        'outbox message could not be pushed',
      );
      return {
        kind: 'not_sent',
        reason: err instanceof WsSendError && err.kind === 'link' ? 'not_connected' : 'refused',
      };
    }
  }
}
