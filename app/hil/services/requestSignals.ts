import type { HilRequest, HilRequests } from '../store/hilRequests';

/** How often a waiter reads the store when no signal came: an answer applied on another instance. */
export const WAIT_POLL_MS = 1000;

export type ChangeListener = (request: HilRequest) => void;

/**
 * "This request changed" inside one process (issue #15): the store calls `changed` after every status
 * change, reply and expiry it made, so a tool call, a long-poll or a webhook waiting for that request
 * wakes at once. Changes made by another instance are not signalled here; waiters also read the store
 * every WAIT_POLL_MS, so they are seen within a second.
 */
export class RequestSignals {
  private readonly waiting = new Map<string, Set<() => void>>();
  private readonly listeners = new Set<ChangeListener>();

  changed(request: HilRequest): void {
    const wakers = this.waiting.get(request.id);
    if (wakers !== undefined) for (const wake of [...wakers]) wake();
    for (const listener of this.listeners) listener(request);
  }

  /** Every change made in this process; returns the unsubscribe. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves on the next change of the request here, after `ms`, or when `signal` aborts. */
  nextChange(id: string, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const set = this.waiting.get(id) ?? new Set<() => void>();
      this.waiting.set(id, set);
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        set.delete(done);
        if (set.size === 0 && this.waiting.get(id) === set) this.waiting.delete(id);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      set.add(done);
      if (signal?.aborted === true) done();
      else signal?.addEventListener('abort', done, { once: true });
    });
  }
}

export interface WaitOptions {
  /** ms since epoch: the wait ends then with the request as it is. */
  readonly until: number;
  readonly signal?: AbortSignal;
  /** Called every `tickMs` while waiting (MCP progress notifications). */
  readonly onTick?: () => void | Promise<void>;
  readonly tickMs?: number;
}

/**
 * Waits until `done(request)` holds, the deadline passes, or the signal aborts; answers the request as it
 * last read it (undefined when it does not exist).
 */
export async function waitForRequest(
  deps: { readonly requests: Pick<HilRequests, 'byId'>; readonly signals: RequestSignals; readonly now: () => number },
  id: string,
  done: (request: HilRequest) => boolean,
  options: WaitOptions,
): Promise<HilRequest | undefined> {
  const { requests, signals, now } = deps;
  const tickMs = options.tickMs ?? Number.POSITIVE_INFINITY;
  let nextTick = now() + tickMs;
  for (;;) {
    const request = await requests.byId(id);
    if (request === undefined || done(request) || options.signal?.aborted === true) return request;
    const left = options.until - now();
    if (left <= 0) return request;
    if (now() >= nextTick) {
      nextTick = now() + tickMs;
      await options.onTick?.();
    }
    await signals.nextChange(id, Math.min(WAIT_POLL_MS, left, Math.max(0, nextTick - now())), options.signal);
  }
}
