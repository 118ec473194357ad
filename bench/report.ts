import type { LoadResult } from './load/runLoad';
import type { StreamMemory } from './scenarios';
import type { TokenDelay } from './tokenDelay';
import type { CpuSplit } from './cpuSplit';
import type { ImagePipeline } from './imagePipeline';
import type { StartupFigures } from './startup';
import { type StoreOptionResult, renderStoreComparison } from './store/compareStores';

export interface TargetResults {
  readonly first: LoadResult;
  /** CPU per first message: the target, its database processes, the fake Dify, the load generator (ms). */
  readonly firstCpuMs: CpuSplit;
  readonly polls: readonly [LoadResult, LoadResult];
  readonly memory: readonly [StreamMemory, StreamMemory];
}

export interface BenchResults {
  readonly settings: {
    readonly streamCounts: readonly [number, number];
    readonly concurrency: number;
    readonly runs: number;
    readonly durationMs: number;
  };
  readonly gateway: TargetResults;
  readonly bareHttp: TargetResults;
  readonly bareExpress: TargetResults;
  readonly tokens: TokenDelay;
  readonly image: ImagePipeline;
  readonly startup: StartupFigures;
  readonly stores: readonly StoreOptionResult[];
}

const MB = 1024 * 1024;
const f = (n: number, digits = 0): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const ratio = (a: number, b: number): string => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');

function row(label: string, gateway: string, http: string, express: string, vsHttp: string, budget: string): string {
  return `| ${label} | ${gateway} | ${http} | ${express} | ${vsHttp} | ${budget} |`;
}

function verdict(ok: boolean, text: string): string {
  return `${ok ? 'PASS' : 'MISS'} (${text})`;
}

/** The results as a markdown table: every gateway figure next to the same-run limit and its ratio. */
export function renderReport(r: BenchResults): string {
  const { gateway: g, bareHttp: h, bareExpress: e } = r;
  const [small, large] = r.settings.streamCounts;
  const lines = [
    `| figure | gateway | bare node:http | bare Express | gateway / node:http | budget |`,
    `|---|---|---|---|---|---|`,
    row(
      'first messages/s',
      f(g.first.perSecond),
      f(h.first.perSecond),
      f(e.first.perSecond),
      ratio(g.first.perSecond, h.first.perSecond),
      verdict(g.first.perSecond >= 0.5 * h.first.perSecond, '≥ 0.5×'),
    ),
    row(
      'CPU ms per first message: process + database (fake Dify, load)',
      cpuText(g.firstCpuMs),
      cpuText(h.firstCpuMs),
      cpuText(e.firstCpuMs),
      ratio(g.firstCpuMs.target + g.firstCpuMs.database, h.firstCpuMs.target + h.firstCpuMs.database),
      '',
    ),
    ...startupRows(r.startup),
    row(
      'first message p50 / p99 ms',
      `${f(g.first.p50, 1)} / ${f(g.first.p99, 1)}`,
      `${f(h.first.p50, 1)} / ${f(h.first.p99, 1)}`,
      `${f(e.first.p50, 1)} / ${f(e.first.p99, 1)}`,
      ratio(g.first.p99, h.first.p99),
      '',
    ),
  ];
  for (const [i, n] of [small, large].entries()) {
    const [gp, hp, ep] = [g.polls[i] as LoadResult, h.polls[i] as LoadResult, e.polls[i] as LoadResult];
    const budget = n === large ? verdict(gp.perSecond >= 0.8 * hp.perSecond, '≥ 0.8×') : '';
    lines.push(
      row(
        `polls/s, ${n} open streams`,
        f(gp.perSecond),
        f(hp.perSecond),
        f(ep.perSecond),
        ratio(gp.perSecond, hp.perSecond),
        budget,
      ),
    );
    lines.push(
      row(
        `poll p50 / p99 ms, ${n} streams`,
        `${f(gp.p50, 2)} / ${f(gp.p99, 2)}`,
        `${f(hp.p50, 2)} / ${f(hp.p99, 2)}`,
        `${f(ep.p50, 2)} / ${f(ep.p99, 2)}`,
        ratio(gp.p99, hp.p99),
        verdict(gp.p99 <= 3 * hp.p99, 'p99 ≤ 3×'),
      ),
    );
  }
  for (const [i, n] of [small, large].entries()) {
    const [gm, hm, em] = [g.memory[i] as StreamMemory, h.memory[i] as StreamMemory, e.memory[i] as StreamMemory];
    const budget = n === large ? verdict(gm.total.rss <= 300 * MB, 'RSS + database ≤ 300 MB') : '';
    lines.push(
      row(
        `RSS (+ database PSS) / heap MB, ${n} open streams`,
        `${f(gm.total.rss / MB)} / ${f(gm.total.heapUsed / MB)}`,
        `${f(hm.total.rss / MB)} / ${f(hm.total.heapUsed / MB)}`,
        `${f(em.total.rss / MB)} / ${f(em.total.heapUsed / MB)}`,
        ratio(gm.total.rss, hm.total.rss),
        budget,
      ),
    );
    lines.push(
      row(
        `per stream RSS / heap KB (text excluded), ${n}`,
        `${f(gm.perStream.rss / 1024, 1)} / ${f(gm.perStream.heapUsed / 1024, 1)}`,
        `${f(hm.perStream.rss / 1024, 1)} / ${f(hm.perStream.heapUsed / 1024, 1)}`,
        `${f(em.perStream.rss / 1024, 1)} / ${f(em.perStream.heapUsed / 1024, 1)}`,
        ratio(gm.perStream.rss, hm.perStream.rss),
        '',
      ),
    );
  }
  const t = r.tokens;
  lines.push(
    row(
      'token → visible ms (poll round trip)',
      `${f(t.visibleMs, 2)} (${f(t.roundTripMs, 2)})`,
      '',
      '',
      '',
      verdict(t.visibleMs <= t.roundTripMs + 1, '≤ round trip + 1 ms'),
    ),
  );
  lines.push(
    row(
      'image: 3 MB PNG → ≤ 512 KB, ms',
      `${f(r.image.msPerImage)} (${f(r.image.outputBytes / 1024)} KB ${r.image.format})`,
      '',
      '',
      '',
      '',
    ),
  );
  return `${lines.join('\n')}\n\nEmbedded store candidates (store work of a first message only, 32 callers):\n\n${renderStoreComparison(r.stores)}`;
}

function cpuText(c: CpuSplit): string {
  return `${f(c.target, 2)} + ${f(c.database, 2)} (${f(c.dify, 2)}, ${f(c.load, 2)})`;
}

function startupRows(s: StartupFigures): string[] {
  const idle = s.idle.rss;
  return [
    row(
      'npm start → /healthz 200, existing data dir, ms',
      f(s.existingDir.healthzMs),
      '',
      '',
      '',
      verdict(s.existingDir.healthzMs <= 2000, '≤ 2 s'),
    ),
    row(
      'npm start → /readyz 200, existing / new data dir, ms',
      `${f(s.existingDir.readyzMs)} / ${f(s.newDir.readyzMs)}`,
      '',
      '',
      '',
      '',
    ),
    row(
      'RSS idle MB (gateway + database PSS; database RSS summed)',
      `${f(idle / MB)} (${f((idle - s.idle.childrenPss) / MB)} + ${f(s.idle.childrenPss / MB)}; ${f(s.idle.childrenRss / MB)})`,
      '',
      '',
      '',
      verdict(idle <= 150 * MB, '≤ 150 MB'),
    ),
  ];
}
