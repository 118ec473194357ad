import type { Logger } from 'pino';
import type { BotProfile } from '../../config';
import { errorFields } from '../../logger';
import type { EventReply, EventSource } from '../channel';
import type { TemplateCardEvent, UserMessage, WecomEvent } from '../wecom/inbound';

/** A card click: the clicked card's `task_id`, the button's `event_key` and any selection (§5.10). */
export type CardClick = TemplateCardEvent['template_card_event'];

/** A claimant's word on a user message: not mine, or answered at once with this text (a finished reply). */
export type MessageClaim =
  { readonly kind: 'pass' } | { readonly kind: 'answered'; readonly text: string; readonly cause: string };

/**
 * Something other than Dify that may take an inbound message or card click first — the
 * people-in-the-loop hub taking a quote reply or a 批准 click. Claimants are asked in order, before
 * any agent; the first that does not pass wins. WeCom retries a message or event it got no answer
 * to in time (§15.7), so a claim must be idempotent by `msgid`: asked again, it gives the same answer
 * and applies nothing twice.
 */
export interface InboundClaimant {
  /** Named in logs. */
  readonly name: string;
  claimMessage?(bot: BotProfile, message: UserMessage): Promise<MessageClaim>;
  /** The welcome to a user opening the single chat (§6.1: text or a card, within 5 s), or undefined to pass. */
  claimEnterChat?(bot: BotProfile, event: WecomEvent): Promise<EventReply | undefined>;
  /** The reply to the click (due within 5 s, §6.5), or undefined to pass. */
  claimCardClick?(
    bot: BotProfile,
    event: WecomEvent,
    click: CardClick,
    source: EventSource,
  ): Promise<EventReply | undefined>;
}

/**
 * The ordered list. A claimant that throws is logged and skipped, so that a fault in one product
 * never stops the bot from answering: the message goes on to the next claimant and then to Dify.
 */
export class Claimants {
  private readonly list: InboundClaimant[] = [];
  /** Whether any claimant looks at messages: the intake skips the await on its hot path when none does. */
  private anyForMessages = false;

  constructor(private readonly logger: Logger) {}

  /**
   * Appends a claimant: asked after those added before it. Added while the gateway is composed, since
   * a claimant may itself need the intake that consults the list (CardQuestions starts turns).
   */
  add(claimant: InboundClaimant): this {
    this.list.push(claimant);
    this.anyForMessages ||= claimant.claimMessage !== undefined;
    return this;
  }

  get claimsMessages(): boolean {
    return this.anyForMessages;
  }

  async message(
    bot: BotProfile,
    message: UserMessage,
  ): Promise<Extract<MessageClaim, { kind: 'answered' }> | undefined> {
    for (const claimant of this.list) {
      if (claimant.claimMessage === undefined) continue;
      try {
        const claim = await claimant.claimMessage(bot, message);
        if (claim.kind === 'answered') return claim;
      } catch (err) {
        this.logger.error(
          { err: errorFields(err), claimant: claimant.name, msgid: message.msgid },
          'claimant failed on a message; passing it on',
        );
      }
    }
    return undefined;
  }

  async enterChat(bot: BotProfile, event: WecomEvent): Promise<EventReply | undefined> {
    for (const claimant of this.list) {
      if (claimant.claimEnterChat === undefined) continue;
      try {
        const reply = await claimant.claimEnterChat(bot, event);
        if (reply !== undefined) return reply;
      } catch (err) {
        this.logger.error(
          { err: errorFields(err), claimant: claimant.name, msgid: event.msgid },
          'claimant failed on enter_chat; passing it on',
        );
      }
    }
    return undefined;
  }

  async cardClick(
    bot: BotProfile,
    event: WecomEvent,
    click: CardClick,
    source: EventSource,
  ): Promise<EventReply | undefined> {
    for (const claimant of this.list) {
      if (claimant.claimCardClick === undefined) continue;
      try {
        const reply = await claimant.claimCardClick(bot, event, click, source);
        if (reply !== undefined) return reply;
      } catch (err) {
        this.logger.error(
          { err: errorFields(err), claimant: claimant.name, msgid: event.msgid },
          'claimant failed on a card click; passing it on',
        );
      }
    }
    return undefined;
  }
}
