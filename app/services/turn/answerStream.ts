import type { StreamImage, StreamSnapshot } from '../../store/streamStore';
import type { Texts } from '../../config/texts';
import type { AnswerStreamEnd, TurnChannel } from '../channel';
import {
  type AnswerView,
  type RenderOptions,
  renderFinal,
  renderMarkdown,
  renderStreaming,
} from '../wecom/streamContent';

/**
 * The user-visible side of one turn: renders the answer into snapshots, closes the stream at the
 * 6-minute window with a "still working" note (wecom-aibot-protocol.md §8, §15.10) and then hands
 * the final answer to late delivery. Every path ends in exactly one finished snapshot.
 */
export class AnswerStream {
  private latest: AnswerView = { answer: '', thinking: '' };
  private windowClosed = false;
  private finished = false;
  private flushScheduled = false;
  private publishing: Promise<void> = Promise.resolve();

  constructor(
    private readonly channel: TurnChannel,
    private readonly render: RenderOptions,
    private readonly texts: Texts,
    private readonly onPublishError: (err: unknown) => void,
    /** No stream to show (a question asked from a card): the answer goes to late delivery only. */
    streamless = false,
  ) {
    this.windowClosed = streamless;
  }

  get isWindowClosed(): boolean {
    return this.windowClosed;
  }

  /** Records the newest view; snapshots of one event-loop turn are coalesced into one publish. */
  update(view: AnswerView): void {
    this.latest = view;
    if (this.flushScheduled || this.windowClosed || this.finished) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      if (!this.windowClosed && !this.finished)
        this.enqueue({ content: renderStreaming(this.latest, this.render), finish: false });
    });
  }

  /** The window is over: finish the stream with what is there plus the "still working" note. */
  closeWindow(): void {
    if (this.finished || this.windowClosed) return;
    this.windowClosed = true;
    this.enqueue({ content: renderFinal(this.latest, this.texts.STILL_WORKING, this.render), finish: true });
  }

  /** The final answer, with an optional notice (error, interruption, empty answer) and its images. */
  async finish(
    view: AnswerView,
    notice: string | undefined,
    images: readonly StreamImage[] = [],
    card?: object,
  ): Promise<AnswerStreamEnd> {
    if (this.finished) return 'in-stream';
    this.finished = true;
    this.latest = view;
    if (!this.windowClosed) {
      const content = renderFinal(view, notice, this.render);
      // Images go only on the finishing reply, after the text (wecom-aibot-protocol.md §6.2).
      this.enqueue({
        content,
        finish: true,
        ...(images.length > 0 ? { images } : {}),
        ...(card !== undefined ? { card } : {}),
      });
      await this.publishing;
      return 'in-stream';
    }
    await this.publishing;
    const delivered = await this.channel.deliverLate(renderMarkdown(view.answer, notice, this.texts.TRUNCATED));
    return delivered ? 'late-delivered' : 'late-failed';
  }

  /** Publishes in order, so a slow store can never let an older snapshot overwrite the final one. */
  private enqueue(snapshot: StreamSnapshot): void {
    this.publishing = this.publishing.then(() => this.channel.publish(snapshot)).catch(this.onPublishError);
  }
}
