import { LRUCache } from 'lru-cache';
import type { StreamMeta, StreamRecord, StreamSnapshot } from './streamStore';

interface Entry {
  meta: StreamMeta;
  snapshot: StreamSnapshot;
}

/** Rough bytes of an entry: UTF-16 text plus base64 images (finished answers can carry ~7 MB of images). */
function entrySize(entry: Entry): number {
  let size = 1024 + entry.snapshot.content.length * 2;
  for (const image of entry.snapshot.images ?? []) size += image.base64.length + image.md5.length;
  return size;
}

/**
 * The owner's in-memory copy of its streams: SharedStreamStore answers its own polls from here.
 * Bounded by count, bytes and age: entries live `ttlMs` after their last write, which covers the 6-minute polling window, late polls and WeCom's retries; the
 * byte bound keeps a burst of image answers from exhausting memory (oldest entries go first).
 */
export class MemoryStreamStore {
  private readonly entries: LRUCache<string, Entry>;

  constructor(opts: { ttlMs: number; max?: number; maxBytes?: number }) {
    this.entries = new LRUCache<string, Entry>({
      max: opts.max ?? 50_000,
      maxSize: opts.maxBytes ?? 256 * 1024 * 1024,
      sizeCalculation: entrySize,
      ttl: opts.ttlMs,
      updateAgeOnGet: false,
    });
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
