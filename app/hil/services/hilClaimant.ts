import type { BotProfile, Config } from '../../config';
import type { EventReply, EventSource } from '../../services/channel';
import type { CardClick, InboundClaimant, MessageClaim } from '../../services/intake/claimants';
import type { UserMessage, WecomEvent } from '../../services/wecom/inbound';
import { textReplyBody } from '../../services/wecom/reply';
import { templateCardReplyBody } from '../../services/wecom/templateCards';
import type { HilRequests } from '../store/hilRequests';
import type { CardCapture } from './cardCapture';
import type { HilDelivery } from './hilDelivery';
import { approvalCard, requestMarkdown } from './hilRendering';
import type { MessageCapture } from './messageCapture';

/**
 * The hub's one claimant (ARCHITECTURE.md "Claimants"): messages that answer a request, clicks on its
 * cards, and enter_chat, where a request queued for this person is the welcome (hil.md §7.2 path 3).
 */
export class HilClaimant implements InboundClaimant {
  readonly name = 'people-in-the-loop';

  constructor(
    private readonly deps: {
      readonly config: Config;
      readonly requests: HilRequests;
      readonly messages: MessageCapture;
      readonly cards: CardCapture;
      readonly delivery: HilDelivery;
      readonly now: () => number;
    },
  ) {}

  claimMessage(bot: BotProfile, message: UserMessage): Promise<MessageClaim> {
    return this.deps.messages.claim(bot, message);
  }

  claimCardClick(
    bot: BotProfile,
    event: WecomEvent,
    click: CardClick,
    _source: EventSource,
  ): Promise<EventReply | undefined> {
    return this.deps.cards.claim(bot, event, click);
  }

  /**
   * enter_chat comes from a single chat at most once a day (§5.10): its oldest queued request, as a card
   * when it is an approval. Rare enough to ask the store every time, so a request made on another
   * instance a moment ago is not missed behind the open gate's refresh.
   */
  async claimEnterChat(bot: BotProfile, event: WecomEvent): Promise<EventReply | undefined> {
    const userid = event.from.userid;
    const open = await this.deps.requests.openInChat({ botKey: bot.key, chattype: 'single', chatid: userid });
    // Addressed to this very chat: shown even where only named approvers may answer it.
    const queued = open.find((r) => r.delivery === 'queued');
    if (queued === undefined) return undefined;
    const request = this.deps.delivery.withCardTaskId(queued);
    await this.deps.requests.setDelivery(request.id, 'delivered', request.cardTaskId, this.deps.now());
    const { texts } = this.deps.config;
    const body =
      request.loopType === 'approval'
        ? templateCardReplyBody(approvalCard(request, texts))
        : textReplyBody(requestMarkdown(request, texts).replace(/\*\*/g, ''));
    return { kind: 'reply', purpose: 'welcome', body };
  }
}
