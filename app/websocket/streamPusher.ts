import type { StreamSnapshot, StreamStore } from '../store/streamStore';
import { errorFields } from '../logger';
import type { TurnChannel } from '../services/channel';
import { markdownMessageBody, streamReplyBody } from '../services/wecom/reply';
import { withoutThinking } from '../services/wecom/streamContent';
import type { Texts } from '../config/texts';
import { WsSendError } from './wsSendError';
import type { ChatTarget } from './chatTarget';
import { type WsDeliveryDeps, pushMarkdown, sendFailureFields, sendImages } from './wsDelivery';

export interface PusherDeps extends WsDeliveryDeps {
  readonly streams: StreamStore;
  readonly texts: Texts;
  readonly frameIntervalMs: number;
  readonly sendWaitMs: number;
}

export interface PushedStream {
  readonly streamId: string;
  readonly msgid: string;
  /** The req_id of the user's message: every frame of its answer echoes it (§12). */
  readonly reqId: string;
  readonly chat: ChatTarget;
}

/** After this many refused intermediate frames in a row, only the finishing one is tried. */
const MAX_REFUSED_UPDATES = 3;

/**
 * The long connection's TurnChannel (wecom-aibot-protocol.md §12): the turn's snapshots are pushed as
 * aibot_respond_msg stream frames with one stream id — at most one frame in flight, at least
 * `frameIntervalMs` apart, only when the text changed, the finishing frame last — instead of being
 * stored for polls. A dropped link is waited for and the newest snapshot resent; a frame WeCom refuses
 * is skipped, and a refused finish falls back to a pushed markdown message.
 */
export class WsStreamPusher implements TurnChannel {
  private latest: StreamSnapshot | undefined;
  private feedbackId: string | undefined;
  private begun = false;
  private counted = false;
  private delivered = false;
  private sentContent: string | undefined;
  private finishing = false;
  private closed = false;
  /** The link is gone for good (stopped, taken over, not back in time): only the finish is still tried. */
  private linkLost = false;
  private refused = 0;
  private lastSentAt = 0;
  private pumping = false;
  private resolveDone: () => void = () => undefined;
  private readonly done = new Promise<void>((resolve) => (this.resolveDone = resolve));

  constructor(
    private readonly deps: PusherDeps,
    private readonly target: PushedStream,
  ) {}

  /** Starts pushing with the first reply (its feedback id lets the user rate the answer, §6.2). */
  begin(initial: StreamSnapshot, feedbackId?: string): Promise<void> {
    this.begun = true;
    this.feedbackId = feedbackId;
    this.latest ??= initial;
    if (initial.finish) this.finishing = true;
    this.kick();
    return this.done;
  }

  /** Intermediate snapshots return at once; the finishing one once it (and its images) went out. */
  async publish(snapshot: StreamSnapshot): Promise<void> {
    if (this.finishing) return;
    this.latest = snapshot;
    if (!snapshot.finish) {
      this.keep(snapshot);
      return this.kick();
    }
    this.finishing = true;
    // The stored row finishes too (dedupe and the message's record); nobody polls it.
    await this.deps.streams
      .publish(this.target.streamId, { content: snapshot.content, finish: true })
      .catch((err: unknown) =>
        this.deps.logger.error({ err: errorFields(err), stream: this.target.streamId }, 'stream store write failed'),
      );
    this.kick();
    return this.done;
  }

  /**
   * The running snapshot goes to the store too (throttled there, and only where instances share it):
   * if this instance dies, the next holder of the bot finishes the stream with what was shown (wsOrphans).
   */
  private keep(snapshot: StreamSnapshot): void {
    this.deps.streams
      .publish(this.target.streamId, snapshot)
      .catch((err: unknown) =>
        this.deps.logger.error({ err: errorFields(err), stream: this.target.streamId }, 'stream store write failed'),
      );
  }

  deliverLate(markdown: string): Promise<boolean> {
    return pushMarkdown(this.deps, this.target.chat, markdown, {
      stream: this.target.streamId,
      msgid: this.target.msgid,
    });
  }

  private hasNews(): boolean {
    const latest = this.latest;
    if (!this.begun || this.closed || latest === undefined) return false;
    if (latest.finish) return true;
    return !this.linkLost && this.refused < MAX_REFUSED_UPDATES && latest.content !== this.sentContent;
  }

  private kick(): void {
    if (this.pumping || !this.hasNews()) return;
    this.pumping = true;
    void this.pump()
      .catch((err: unknown) => {
        // Never retried in a loop: the stream is given up, and the turn waiting on it goes on.
        this.closed = true;
        this.resolveDone();
        this.deps.logger.error({ err: errorFields(err), stream: this.target.streamId }, 'stream push crashed');
      })
      .finally(() => {
        this.pumping = false;
        this.kick();
      });
  }

  private async pump(): Promise<void> {
    while (this.hasNews()) {
      const wait = this.lastSentAt + this.deps.frameIntervalMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const snapshot = this.latest as StreamSnapshot;
      const sent = await this.sendFrame(snapshot);
      if (snapshot.finish && sent !== 'retry') await this.conclude(snapshot, sent === 'sent');
    }
  }

  private async sendFrame(snapshot: StreamSnapshot): Promise<'sent' | 'refused' | 'retry'> {
    if (!this.counted) {
      await this.deps.quota.acquire(this.target.chat.quotaKey);
      this.counted = true;
    }
    const first = !this.delivered;
    const body = streamReplyBody({
      id: this.target.streamId,
      finish: snapshot.finish,
      content: snapshot.content,
      ...(first && this.feedbackId !== undefined ? { feedbackId: this.feedbackId } : {}),
      ...(snapshot.finish && snapshot.card !== undefined ? { card: snapshot.card } : {}),
    });
    try {
      await this.deps.conn.reply(this.target.reqId, 'aibot_respond_msg', body);
      this.delivered = true;
      this.sentContent = snapshot.content;
      this.refused = 0;
      return 'sent';
    } catch (err) {
      return this.onSendFailure(err, snapshot);
    } finally {
      this.lastSentAt = Date.now();
    }
  }

  private async onSendFailure(err: unknown, snapshot: StreamSnapshot): Promise<'refused' | 'retry'> {
    const ids = { stream: this.target.streamId, msgid: this.target.msgid, finish: snapshot.finish };
    if (
      err instanceof WsSendError &&
      err.kind === 'link' &&
      (await this.deps.conn.whenConnected(this.deps.sendWaitMs))
    ) {
      this.deps.logger.info(ids, 'connection back: resending the newest snapshot');
      return 'retry';
    }
    this.deps.logger.warn({ ...ids, ...sendFailureFields(err) }, 'stream frame not delivered');
    if (err instanceof WsSendError && err.kind === 'link') this.linkLost = true;
    this.sentContent = snapshot.content;
    this.refused += 1;
    return 'refused';
  }

  /** After the finishing frame: the images, or — when that frame did not get through — the answer as a message. */
  private async conclude(snapshot: StreamSnapshot, sent: boolean): Promise<void> {
    this.closed = true;
    const { chat, reqId, streamId, msgid } = this.target;
    if (!sent) {
      const text = withoutThinking(snapshot.content);
      if (text.trim() !== '' && text !== this.deps.texts.THINKING)
        await pushMarkdown(this.deps, chat, text, { stream: streamId, msgid });
    } else if (snapshot.images !== undefined && snapshot.images.length > 0) {
      const failed = await sendImages(this.deps, chat, reqId, snapshot.images, streamId);
      if (failed > 0)
        await this.deps.conn
          .reply(reqId, 'aibot_respond_msg', markdownMessageBody(this.deps.texts.IMAGE_FAILED))
          .catch(() => undefined);
    }
    this.resolveDone();
  }
}
