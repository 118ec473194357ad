import { treeMemory } from './processTree';

/**
 * Heap and RSS of a bench target: the gateway's /metrics, or the bare servers' /memory. `rss`
 * includes the target's child processes (the embedded PostgreSQL server) by their PSS, given apart
 * in `childrenPss`; see processTree.ts.
 */
export interface MemoryReading {
  readonly rss: number;
  readonly heapUsed: number;
  readonly childrenPss: number;
  /** The children's RSS summed, shared pages counted once per process: shown beside PSS, not budgeted. */
  readonly childrenRss: number;
}

export interface MeasuredProcess {
  readonly port: number;
  readonly pid: number;
}

function metric(text: string, name: string): number {
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(text);
  if (match === null) throw new Error(`metric ${name} missing`);
  return Number(match[1]);
}

async function ownMemory(port: number, kind: 'gateway' | 'bare'): Promise<{ rss: number; heapUsed: number }> {
  if (kind === 'gateway') {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    return {
      rss: metric(text, 'process_resident_memory_bytes'),
      heapUsed: metric(text, 'nodejs_heap_size_used_bytes'),
    };
  }
  return (await (await fetch(`http://127.0.0.1:${port}/memory`)).json()) as { rss: number; heapUsed: number };
}

export async function readMemory(target: MeasuredProcess, kind: 'gateway' | 'bare'): Promise<MemoryReading> {
  const own = await ownMemory(target.port, kind);
  const { childrenPss, childrenRss } = treeMemory(target.pid);
  return { rss: own.rss + childrenPss, heapUsed: own.heapUsed, childrenPss, childrenRss };
}

/** Lets the target settle (pending writes, timers) and collect garbage it can, then reads. */
export async function settledMemory(target: MeasuredProcess, kind: 'gateway' | 'bare'): Promise<MemoryReading> {
  await new Promise((resolve) => setTimeout(resolve, 1500));
  return readMemory(target, kind);
}
