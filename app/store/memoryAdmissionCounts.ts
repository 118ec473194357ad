import type { AdmissionCounts, AdmissionLimits, AdmissionTake } from './admissionCounts';

const MINUTE_MS = 60_000;

/**
 * The counts of one process, for the embedded store (one instance): a sliding window of admission
 * times and the set of running turns per user, with no round trip on the first-message path.
 */
export class MemoryAdmissionCounts implements AdmissionCounts {
  private readonly recent = new Map<string, number[]>();
  private readonly running = new Map<string, Set<string>>();

  take(userKey: string, turnId: string | undefined, nowMs: number, limits: AdmissionLimits): Promise<AdmissionTake> {
    if ((this.running.get(userKey)?.size ?? 0) >= limits.concurrent) return Promise.resolve('too_many_running');
    if (limits.perMinute > 0) {
      const times = (this.recent.get(userKey) ?? []).filter((t) => nowMs - t < MINUTE_MS);
      this.recent.set(userKey, times);
      if (times.length >= limits.perMinute) return Promise.resolve('rate_limited');
      times.push(nowMs);
      if (this.recent.size > 10_000) this.prune(nowMs);
    }
    if (turnId !== undefined) this.running.set(userKey, (this.running.get(userKey) ?? new Set()).add(turnId));
    return Promise.resolve('admitted');
  }

  leave(userKey: string, turnId: string): Promise<void> {
    const turns = this.running.get(userKey);
    turns?.delete(turnId);
    if (turns?.size === 0) this.running.delete(userKey);
    return Promise.resolve();
  }

  forgetInstance(): Promise<void> {
    this.running.clear();
    return Promise.resolve();
  }

  /** Users who wrote nothing for a minute are forgotten, so the map stays bounded. */
  private prune(nowMs: number): void {
    for (const [key, times] of this.recent) if (times.every((t) => nowMs - t >= MINUTE_MS)) this.recent.delete(key);
  }
}
