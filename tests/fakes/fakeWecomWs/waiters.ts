/**
 * Condition waiters with a hard timeout, so that a test waiting on the fake can fail but never
 * hang. The owner calls poke() after every state change; each pending probe is then re-run.
 */

interface Waiter {
  /** Runs the probe; resolves the promise and returns true once it yields a value. */
  attempt: () => boolean;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class Waiters {
  private readonly pending = new Set<Waiter>();

  /** Resolves with the first non-undefined probe result (checked now, then on every poke). */
  until<T>(probe: () => T | undefined, timeoutMs: number, label: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const attempt = (): boolean => {
        const value = probe();
        if (value === undefined) return false;
        resolve(value);
        return true;
      };
      const timer = setTimeout(() => {
        this.pending.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${label}`));
      }, timeoutMs);
      const waiter: Waiter = { attempt, reject, timer };
      this.pending.add(waiter);
      this.check(waiter);
    });
  }

  poke(): void {
    for (const waiter of [...this.pending]) this.check(waiter);
  }

  /** Settles every waiter at once (used on close, so no timer outlives the fake). */
  rejectAll(reason: string): void {
    for (const waiter of [...this.pending]) {
      this.forget(waiter);
      waiter.reject(new Error(reason));
    }
  }

  private check(waiter: Waiter): void {
    try {
      if (waiter.attempt()) this.forget(waiter);
    } catch (error) {
      // A throwing predicate is a test bug: surface it now instead of at the timeout.
      this.forget(waiter);
      waiter.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private forget(waiter: Waiter): void {
    this.pending.delete(waiter);
    clearTimeout(waiter.timer);
  }
}
