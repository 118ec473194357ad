const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * WeCom's limit on what a bot sends into one conversation over the long connection: 30 messages a
 * minute and 1000 an hour, replies and pushes together (wecom-aibot-protocol.md §12). A stream counts
 * once (its frames update one message); each image message and each pushed markdown counts once.
 * Messages over the limit wait for a free slot rather than being refused by WeCom and lost.
 */
export class ConversationQuota {
  /** Send times within the last hour, oldest first, by conversation. */
  private readonly sent = new Map<string, number[]>();
  private sinceSweep = 0;

  constructor(
    private readonly perMinute: number,
    private readonly perHour: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Waits until one more message fits, then counts it. */
  async acquire(key: string): Promise<void> {
    for (;;) {
      const wait = this.waitMs(key);
      if (wait <= 0) {
        this.note(key);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, wait).unref());
    }
  }

  /** Counts a message that cannot wait (an event reply due within 5 s). */
  note(key: string): void {
    const times = this.sent.get(key) ?? [];
    times.push(this.now());
    this.sent.set(key, times);
    if (++this.sinceSweep >= 1000) this.sweep();
  }

  /** How long until one more message fits; 0 when it fits now. */
  waitMs(key: string): number {
    const times = this.prune(key);
    const now = this.now();
    let wait = 0;
    if (times.length >= this.perHour) wait = (times[times.length - this.perHour] ?? now) + HOUR_MS - now;
    const lastMinute = times.filter((t) => t > now - MINUTE_MS);
    if (lastMinute.length >= this.perMinute)
      wait = Math.max(wait, (lastMinute[lastMinute.length - this.perMinute] ?? now) + MINUTE_MS - now);
    return wait;
  }

  private prune(key: string): number[] {
    const times = this.sent.get(key);
    if (times === undefined) return [];
    const cutoff = this.now() - HOUR_MS;
    while (times.length > 0 && (times[0] ?? cutoff) <= cutoff) times.shift();
    if (times.length === 0) this.sent.delete(key);
    return times;
  }

  /** Forgets conversations that sent nothing for an hour, so the map stays bounded. */
  private sweep(): void {
    this.sinceSweep = 0;
    for (const key of [...this.sent.keys()]) this.prune(key);
  }
}
