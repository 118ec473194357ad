/** Heap and RSS of a bench target: the gateway's /metrics, or the bare servers' /memory. */
export interface MemoryReading {
  readonly rss: number;
  readonly heapUsed: number;
}

function metric(text: string, name: string): number {
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(text);
  if (match === null) throw new Error(`metric ${name} missing`);
  return Number(match[1]);
}

export async function readMemory(port: number, kind: 'gateway' | 'bare'): Promise<MemoryReading> {
  if (kind === 'gateway') {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    return {
      rss: metric(text, 'process_resident_memory_bytes'),
      heapUsed: metric(text, 'nodejs_heap_size_used_bytes'),
    };
  }
  const usage = (await (await fetch(`http://127.0.0.1:${port}/memory`)).json()) as { rss: number; heapUsed: number };
  return { rss: usage.rss, heapUsed: usage.heapUsed };
}

/** Lets the target settle (pending writes, timers) and collect garbage it can, then reads. */
export async function settledMemory(port: number, kind: 'gateway' | 'bare'): Promise<MemoryReading> {
  await new Promise((resolve) => setTimeout(resolve, 1500));
  return readMemory(port, kind);
}
