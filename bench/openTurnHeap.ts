/**
 * Heap per open turn (issue #14 scope 3), measured apart from `npm run bench` because it needs a heap
 * snapshot: the bench reads heapUsed after 1.5 s, with whatever garbage the last collection left, while
 * a snapshot forces a full collection first, so the figure here is what the open turns really retain.
 *
 *   npm run build:bench && node dist/bench/openTurnHeap.js [streams=2000] [snapshot-dir]
 *
 * Opens `streams` turns whose Dify answer (1 KB, `hold:1024`) stays open, through the real gateway on
 * a fresh embedded store, and prints (heap after − heap before) / streams − 1 KB, as the bench does.
 * With a snapshot dir, the two snapshots stay there to be compared by constructor.
 */
import { readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startGateway, startListening } from './processes';
import { readMemory } from './memory';
import { openStreams } from './scenarios';
import { textMessage } from './load/requests';
import { runLoad } from './load/runLoad';

const STREAMS = Number(process.argv[2] ?? 2000);

/** SIGUSR2 makes the gateway write a snapshot (after a full collection); waits until the file is complete. */
async function collectedHeap(pid: number, port: number, dir: string): Promise<number> {
  const before = readdirSync(dir).length;
  process.kill(pid, 'SIGUSR2');
  while (readdirSync(dir).length === before) await new Promise((resolve) => setTimeout(resolve, 100));
  // The file appears when writing starts; the process answers /metrics only once it is done, and a
  // connection made while it writes may be dropped: try again.
  for (let attempt = 0; ; attempt += 1) {
    try {
      return (await readMemory({ port, pid }, 'gateway')).heapUsed;
    } catch (err) {
      if (attempt >= 20) throw err;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

async function main(): Promise<void> {
  const keep = process.argv[3];
  const dir = keep ?? mkdtempSync(path.join(tmpdir(), 'turn-heap-'));
  const dify = await startListening('bench/difyServer.js', {});
  const gateway = await startGateway(`http://127.0.0.1:${dify.port}/v1`, {
    NODE_OPTIONS: `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${dir}`,
    LOG_LEVEL: 'warn',
  });
  try {
    // Warm up: every module loaded and every lazy structure grown before the baseline.
    await runLoad({ port: gateway.port }, () => textMessage('quick'), { concurrency: 8, durationMs: 500 });
    await openStreams(gateway.port, 50);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const baseline = await collectedHeap(gateway.pid, gateway.port, dir);
    await openStreams(gateway.port, STREAMS);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const after = await collectedHeap(gateway.pid, gateway.port, dir);
    const perTurn = (after - baseline) / STREAMS;
    process.stdout.write(
      `open turns: ${STREAMS}; heap ${(baseline / 1e6).toFixed(1)} → ${(after / 1e6).toFixed(1)} MB; ` +
        `per open turn ${(perTurn / 1024).toFixed(1)} KB, text excluded ${((perTurn - 1024) / 1024).toFixed(1)} KB\n`,
    );
  } finally {
    await gateway.stop();
    await dify.stop();
    if (keep === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

// Bounded like the bench: it stops itself, and the children with it.
setTimeout(() => process.exit(2), 120_000).unref();

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
