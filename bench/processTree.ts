import { readFileSync, readdirSync } from 'node:fs';

/**
 * Memory of a process and of every process below it (the embedded PostgreSQL server and its
 * backends run as the gateway's children). RSS counts shared pages once per process — PostgreSQL's
 * shared buffers and libraries would count several times — so the children are also given as PSS
 * (each shared page split among the processes that map it), the fair share they cost the machine.
 */
export interface TreeMemory {
  /** The process itself. */
  readonly rss: number;
  /** Its descendants, summed. */
  readonly childrenRss: number;
  readonly childrenPss: number;
  readonly children: number;
}

function parentOf(pid: string): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: the fields after the last ')' are fixed.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
  } catch {
    return undefined;
  }
}

export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

export function descendantsOf(pid: number): number[] {
  const parents = new Map<string, string[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = parentOf(entry);
    if (parent === undefined) continue;
    parents.set(parent, [...(parents.get(parent) ?? []), entry]);
  }
  const found: number[] = [];
  const queue = [String(pid)];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const child of parents.get(next) ?? []) {
      found.push(Number(child));
      queue.push(child);
    }
  }
  return found;
}

/** RSS and PSS in bytes from smaps_rollup; zero for a process that is gone or not ours to read. */
export function processMemory(pid: number): { rss: number; pss: number } {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    return { rss: kb('Rss') * 1024, pss: kb('Pss') * 1024 };
  } catch {
    return { rss: 0, pss: 0 };
  }
}

export function treeMemory(pid: number): TreeMemory {
  const children = descendantsOf(pid).map(processMemory);
  return {
    rss: processMemory(pid).rss,
    childrenRss: children.reduce((sum, m) => sum + m.rss, 0),
    childrenPss: children.reduce((sum, m) => sum + m.pss, 0),
    children: children.length,
  };
}

/** CPU time (user + system) a process has used, in ms; 0 when it is gone. Linux counts in clock ticks of 10 ms. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** CPU ms of a process and, apart, of its descendants that are alive now. */
export function treeCpuMs(pid: number): { own: number; children: number } {
  return { own: processCpuMs(pid), children: descendantsOf(pid).reduce((sum, child) => sum + processCpuMs(child), 0) };
}
