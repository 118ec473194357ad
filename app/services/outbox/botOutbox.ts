import type { Config } from '../../config';
import type { ChatAddress, ChatOutbox, OutboundMessage, OutboxResult } from '../channel';

/**
 * The one ChatOutbox the services use: a message for a websocket bot is pushed on its long
 * connection, one for a callback bot goes through a fresh response_url, one for a bot this gateway
 * does not have is refused.
 */
export class BotOutbox implements ChatOutbox {
  constructor(
    private readonly bots: Config['bots'],
    private readonly channels: { readonly push: ChatOutbox; readonly responseUrl: ChatOutbox },
  ) {}

  send(to: ChatAddress, message: OutboundMessage): Promise<OutboxResult> {
    if (this.bots.websocket.has(to.botKey)) return this.channels.push.send(to, message);
    if (this.bots.byKey.has(to.botKey) || (to.botKey === '*' && this.bots.fallback !== undefined))
      return this.channels.responseUrl.send(to, message);
    return Promise.resolve({ kind: 'not_sent', reason: 'unknown_bot' });
  }
}
