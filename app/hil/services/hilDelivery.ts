import type { Logger } from 'pino';
import type { Config } from '../../config';
import type { ChatAddress, ChatOutbox, OutboxResult } from '../../services/channel';
import { newTaskId } from '../../services/wecom/templateCards';
import type { HilRequest, HilRequests } from '../store/hilRequests';
import { outboundOf } from './hilRendering';

/** How long a request this instance sent is not sent again by a flush that read it as queued. */
const RESEND_GUARD_MS = 10_000;
/** Pending requests looked at per sweep for a push retry (newest first). */
const RETRY_BATCH = 200;

/**
 * Shows a request in its chat through the gateway's ChatOutbox (hil.md §7.2): pushed at once for a
 * long-connection bot, through a fresh response_url for a callback bot — or queued until the chat can
 * be reached (the person's next message, enter_chat, /pending), with `delivery = queued` meanwhile.
 */
export class HilDelivery {
  /** Chats being flushed on this instance: two announcements at once must not show a request twice. */
  private readonly flushing = new Set<string>();
  /** Requests being sent on this instance; `again`: a flush found it queued meanwhile. */
  private readonly inFlight = new Map<string, { again: boolean }>();
  /** Requests this instance sent lately (ms): a flush that read them as queued just before must not resend. */
  private readonly justSent = new Map<string, number>();

  constructor(
    private readonly deps: {
      readonly config: Config;
      readonly requests: HilRequests;
      readonly outbox: ChatOutbox;
      readonly logger: Logger;
      readonly now: () => number;
    },
  ) {}

  /**
   * Sends the request; its card task_id is fixed on first use (unique per bot, §7). One delivery of a request
   * at a time on this instance: a flush that finds it queued while its first send is under way (the chat
   * became reachable just then) does not show it twice, and sends it once more if that first send failed.
   */
  async deliver(request: HilRequest): Promise<HilRequest> {
    const flight = this.inFlight.get(request.id);
    if (flight !== undefined) {
      flight.again = true;
      return request;
    }
    const sentAt = this.justSent.get(request.id);
    if (sentAt !== undefined && this.deps.now() - sentAt < RESEND_GUARD_MS)
      return { ...request, delivery: 'delivered' };
    const mine = { again: false };
    this.inFlight.set(request.id, mine);
    try {
      const first = await this.deliverOnce(request);
      return first.delivery === 'queued' && mine.again ? await this.deliverOnce(first) : first;
    } finally {
      this.inFlight.delete(request.id);
    }
  }

  private async deliverOnce(request: HilRequest): Promise<HilRequest> {
    const withCard = this.withCardTaskId(request);
    // The card's task_id is stored before the card goes out: a click in the moment after must find it.
    if (withCard.cardTaskId !== request.cardTaskId)
      await this.deps.requests.setDelivery(withCard.id, withCard.delivery, withCard.cardTaskId, this.deps.now());
    const result = await this.send(withCard);
    const delivery = result.kind === 'sent' ? 'delivered' : 'queued';
    if (delivery === 'delivered') this.noteSent(request.id);
    if (delivery !== withCard.delivery)
      await this.deps.requests.setDelivery(withCard.id, delivery, withCard.cardTaskId, this.deps.now());
    this.deps.logger.info(
      {
        hil: request.id,
        bot: request.target.botKey,
        loopType: request.loopType,
        delivery,
        ...(result.kind === 'not_sent' ? { reason: result.reason } : {}),
      },
      delivery === 'delivered' ? 'people-in-the-loop request delivered' : 'people-in-the-loop request queued',
    );
    return { ...withCard, delivery };
  }

  private noteSent(id: string): void {
    const now = this.deps.now();
    for (const [key, at] of this.justSent) if (now - at >= RESEND_GUARD_MS) this.justSent.delete(key);
    this.justSent.set(id, now);
  }

  /** The chat can be reached again: the oldest request queued for it goes out (one response_url, one message). */
  async flush(to: ChatAddress): Promise<void> {
    const key = `${to.botKey}|${to.chattype}|${to.chatid}`;
    if (this.flushing.has(key)) return;
    this.flushing.add(key);
    try {
      const open = await this.deps.requests.openInChat(to);
      const queued = open.find((r) => r.delivery === 'queued');
      if (queued !== undefined) await this.deliver(queued);
    } finally {
      this.flushing.delete(key);
    }
  }

  /**
   * Pushes again what is queued for long-connection bots (the link was down, or WeCom refused a chat the
   * user had not written in yet): a callback bot waits for its chat instead, it cannot push.
   */
  async retryPushes(): Promise<number> {
    const { requests, config } = this.deps;
    const { rows } = await requests.list({ status: 'pending', skip: 0, limit: RETRY_BATCH });
    const queued = rows.filter((r) => r.delivery === 'queued' && config.bots.websocket.has(r.target.botKey));
    let delivered = 0;
    for (const request of queued) if ((await this.deliver(request)).delivery === 'delivered') delivered += 1;
    return delivered;
  }

  /** A short notice to the request's chat (an operator answered); best effort, never throws. */
  async notify(request: HilRequest, text: string): Promise<boolean> {
    return (await this.sendMarkdown(request.target, text)).kind === 'sent';
  }

  /** Markdown to a chat outside any request: sent now, or why not (never queued). */
  sendMarkdown(to: ChatAddress, text: string): Promise<OutboxResult> {
    return this.deps.outbox.send(to, { kind: 'markdown', text });
  }

  /** An approval's card task_id, made once (unique per bot: the time and 64 random bits, §7). */
  withCardTaskId(request: HilRequest): HilRequest {
    if (request.loopType !== 'approval' || request.cardTaskId !== null) return request;
    return { ...request, cardTaskId: newTaskId(`hil_${request.shortId}`) };
  }

  /** A card first; where the channel takes no card (a callback group), the same request as markdown. */
  private async send(request: HilRequest): Promise<OutboxResult> {
    const { outbox, config } = this.deps;
    const first = await outbox.send(request.target, outboundOf(request, config.texts, true));
    if (first.kind === 'not_sent' && first.reason === 'card_needs_single_chat')
      return outbox.send(request.target, outboundOf(request, config.texts, false));
    return first;
  }
}
