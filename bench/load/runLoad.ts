import type { SignedRequest } from './requests';
import { type Target, createAgent, send } from './client';

export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/**
 * Closed-loop load: `concurrency` workers each send one request after another for `durationMs`
 * (requests are built by `next`, ahead of time where possible so the client's own crypto stays
 * small). Every non-200 counts as an error.
 */
export async function runLoad(
  target: Target,
  next: () => SignedRequest,
  opts: { concurrency: number; durationMs: number },
): Promise<LoadResult> {
  const agent = createAgent(opts.concurrency);
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + opts.durationMs;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      try {
        const res = await send(target, next(), agent);
        if (res.status === 200) latencies.push(res.ms);
        else errors += 1;
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    perSecond: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}
