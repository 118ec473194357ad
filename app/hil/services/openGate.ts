import type { HilRequests } from '../store/hilRequests';

/** How long "no request is open anywhere" is believed before the store is asked again. */
const REFRESH_MS = 5000;

/**
 * The chat path's cheap question: may any request be open? While none is, a message is not even
 * looked at (issue #13: nothing of this slows the chat path). A request made on this instance opens
 * the gate at once; one made on another instance is seen within REFRESH_MS.
 */
export class OpenGate {
  private open = false;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly requests: HilRequests,
    private readonly now: () => number,
  ) {}

  /** True when a request may be open; refreshes in the background when the answer is old. */
  mayBeOpen(): boolean {
    if (this.now() - this.checkedAt >= REFRESH_MS) void this.refresh();
    return this.open;
  }

  /** A request was just made here. */
  opened(): void {
    this.open = true;
    this.checkedAt = this.now();
  }

  refresh(): Promise<void> {
    this.refreshing ??= this.requests
      .anyOpen()
      .then((open) => {
        this.open = open;
        this.checkedAt = this.now();
      })
      .catch(() => {
        // The store is down: keep looking at messages, so that an answer is not sent to Dify.
        this.open = true;
      })
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }
}
