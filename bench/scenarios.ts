import { createAgent, send, streamOf } from './load/client';
import { pollRequest, textMessage } from './load/requests';
import { type LoadResult, median, runLoad } from './load/runLoad';
import { type MeasuredProcess, type MemoryReading, settledMemory } from './memory';

export interface BenchSettings {
  readonly runs: number;
  readonly durationMs: number;
  readonly concurrency: number;
  readonly streamCounts: readonly [number, number];
  readonly tokenCount: number;
}

export type TargetKind = 'gateway' | 'bare';

/** The median of several runs, figure by figure. */
function medianOf(results: readonly LoadResult[]): LoadResult {
  return {
    requests: median(results.map((r) => r.requests)),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    perSecond: median(results.map((r) => r.perSecond)),
    p50: median(results.map((r) => r.p50)),
    p99: median(results.map((r) => r.p99)),
  };
}

/** New user messages, each a fresh user, each followed (in the background) by a quick Dify answer. */
export async function firstMessages(port: number, s: BenchSettings): Promise<LoadResult> {
  const runs: LoadResult[] = [];
  for (let i = 0; i < s.runs; i += 1)
    runs.push(
      await runLoad({ port }, () => textMessage('quick'), { concurrency: s.concurrency, durationMs: s.durationMs }),
    );
  return medianOf(runs);
}

/** Opens `count` more streams whose Dify answer (1 KB) stays open, and returns their ids. */
export async function openStreams(port: number, count: number): Promise<string[]> {
  const agent = createAgent(64);
  const ids: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next += 1;
      ids.push(streamOf(await send({ port }, textMessage('hold:1024'), agent)).id);
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
  agent.destroy();
  return ids;
}

/** Polls spread over the open streams; one pre-signed poll per stream, reused like WeCom's refreshes. */
export async function polls(port: number, ids: readonly string[], s: BenchSettings): Promise<LoadResult> {
  const requests = ids.map((id) => pollRequest(id));
  const runs: LoadResult[] = [];
  for (let i = 0; i < s.runs; i += 1) {
    runs.push(
      await runLoad(
        { port },
        () => requests[Math.floor(Math.random() * requests.length)] as (typeof requests)[number],
        { concurrency: s.concurrency, durationMs: s.durationMs },
      ),
    );
  }
  return medianOf(runs);
}

export interface StreamMemory {
  readonly streams: number;
  readonly total: MemoryReading;
  /** (reading − baseline) / streams − the 1 KB answer: what one open stream costs besides its text. */
  readonly perStream: MemoryReading;
}

export async function memoryWith(
  target: MeasuredProcess,
  kind: TargetKind,
  baseline: MemoryReading,
  streams: number,
): Promise<StreamMemory> {
  const total = await settledMemory(target, kind);
  const per = (now: number, base: number): number => (now - base) / streams - 1024;
  return {
    streams,
    total,
    perStream: {
      rss: per(total.rss, baseline.rss),
      heapUsed: per(total.heapUsed, baseline.heapUsed),
      childrenPss: per(total.childrenPss, baseline.childrenPss),
      childrenRss: per(total.childrenRss, baseline.childrenRss),
    },
  };
}
