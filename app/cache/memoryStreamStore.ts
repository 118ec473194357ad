import { LRUCache } from 'lru-cache';
import type { StreamMeta, StreamRecord, StreamSnapshot, StreamStore } from './streamStore';

interface Entry {
  meta: StreamMeta;
  snapshot: StreamSnapshot;
}

/**
 * In-process stream state (one instance). Bounded by count and age: entries live `ttlMs` after their
 * last write, which covers the 6-minute polling window, late polls and WeCom's retries.
 */
export class MemoryStreamStore implements StreamStore {
  private readonly entries: LRUCache<string, Entry>;

  constructor(opts: { ttlMs: number; max?: number }) {
    this.entries = new LRUCache<string, Entry>({ max: opts.max ?? 50_000, ttl: opts.ttlMs, updateAgeOnGet: false });
  }

  create(meta: StreamMeta, initial: StreamSnapshot): Promise<void> {
    this.entries.set(meta.id, { meta, snapshot: initial });
    return Promise.resolve();
  }

  get(id: string): Promise<StreamRecord | undefined> {
    return Promise.resolve(this.entries.get(id));
  }

  publish(id: string, snapshot: StreamSnapshot): Promise<void> {
    const entry = this.entries.get(id);
    if (entry !== undefined && !entry.snapshot.finish) {
      // A new object rather than a mutation: a reader holding the previous record keeps a consistent view.
      this.entries.set(id, { meta: entry.meta, snapshot });
    }
    return Promise.resolve();
  }

  get size(): number {
    return this.entries.size;
  }
}
