import { BatchWriter } from './batchWriter';
import { MemoryStreamStore } from './memoryStreamStore';
import type {
  ClaimResult,
  OrphanStreams,
  StreamImage,
  StreamMeta,
  StreamRecord,
  StreamSnapshot,
  StreamStore,
} from './streamStore';
import type { Database } from './database';
import { StreamRows } from './streamRows';

export interface SharedStreamOptions {
  readonly instanceId: string;
  /**
   * Write running snapshots too (default). Only other instances read them; with the embedded store
   * there is just one instance, so only the first and the final snapshot are written, and final
   * snapshots without images go in batches (one statement per 50 ms, like the message log) instead
   * of one statement per message: this process answers its polls from memory, the row is for a restart.
   */
  readonly writeRunningSnapshots?: boolean;
  readonly flushIntervalMs: number;
  readonly heartbeatIntervalMs: number;
  readonly ownerTimeoutMs: number;
  readonly ttlMs: number;
}

interface Pending {
  timer: NodeJS.Timeout | undefined;
  latest: StreamSnapshot | undefined;
  lastFlushAt: number;
  chain: Promise<void>;
}

/**
 * Stream state shared by every instance behind one URL (wecom-aibot-protocol.md §15.13: polls come
 * from several WeCom IPs as separate requests). The instance running a turn keeps its snapshot in
 * memory and answers its own polls from there; it writes the snapshot to the store at most every
 * `flushIntervalMs` (at once for the first and the final one) and beats a heartbeat, so any other
 * instance can answer polls from the store and notice when the owner died.
 */
export class SharedStreamStore implements StreamStore, OrphanStreams {
  /** Rows this instance owns from before this moment belong to a previous life with the same INSTANCE_ID. */
  private readonly startedAt = Date.now();
  private readonly local: MemoryStreamStore;
  private readonly rows: StreamRows;
  private readonly pending = new Map<string, Pending>();
  /** Final snapshots whose write failed: retried on every heartbeat until they land. */
  private readonly unwrittenFinals = new Map<string, StreamSnapshot>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly finals: BatchWriter<{ readonly id: string; readonly content: string }>;

  constructor(
    db: Database,
    private readonly opts: SharedStreamOptions,
    private readonly onError: (err: unknown) => void,
  ) {
    this.local = new MemoryStreamStore({ ttlMs: opts.ttlMs });
    this.rows = new StreamRows(db);
    this.finals = new BatchWriter((rows) => this.writeFinals(rows), onError);
    this.heartbeat = setInterval(() => {
      this.retryFinals()
        .then(() => this.rows.beat(opts.instanceId))
        .catch(onError);
    }, opts.heartbeatIntervalMs);
    this.heartbeat.unref();
  }

  async claim(claimKey: string, meta: StreamMeta, initial: StreamSnapshot): Promise<ClaimResult> {
    const result = await this.rows.insertClaimed(claimKey, meta, initial, this.opts.instanceId);
    if (result.won) await this.local.create(meta, initial);
    return result;
  }

  async create(meta: StreamMeta, initial: StreamSnapshot): Promise<void> {
    await this.rows.insert(meta, initial, this.opts.instanceId);
    await this.local.create(meta, initial);
  }

  async get(id: string): Promise<StreamRecord | undefined> {
    return (await this.local.get(id)) ?? this.rows.read(id, this.opts.ownerTimeoutMs);
  }

  async publish(id: string, snapshot: StreamSnapshot): Promise<void> {
    const mine = await this.local.get(id);
    if (mine === undefined) {
      // Not ours: finishing a stream whose owner died. The store ignores it if the owner finished first.
      if (snapshot.finish) await this.rows.finish(id, snapshot.content, snapshot.images ?? []);
      return;
    }
    if (mine.snapshot.finish) return;
    await this.local.publish(id, snapshot);
    if (!snapshot.finish && this.opts.writeRunningSnapshots === false) return;
    this.schedule(id, snapshot);
    if (snapshot.finish) await this.pending.get(id)?.chain;
  }

  orphansOf(botKey: string, maxAgeMs: number): Promise<StreamRecord[]> {
    return this.rows.orphans(botKey, this.opts.instanceId, this.startedAt, maxAgeMs);
  }

  finishOrphan(id: string, content: string): Promise<boolean> {
    return this.rows.finish(id, content, []);
  }

  /** Writes everything still pending; called on shutdown. */
  async flushAll(): Promise<void> {
    await this.finals.flush();
    await this.retryFinals().catch(this.onError);
    for (const [id, entry] of this.pending) {
      if (entry.timer !== undefined) {
        clearTimeout(entry.timer);
        this.flush(id, entry);
      }
    }
    await Promise.all([...this.pending.values()].map((entry) => entry.chain));
  }

  close(): void {
    clearInterval(this.heartbeat);
  }

  /** Leading and trailing throttle: the first change is visible at once, then at most one write per interval. */
  private schedule(id: string, snapshot: StreamSnapshot): void {
    const entry = this.pending.get(id) ?? {
      timer: undefined,
      latest: undefined,
      lastFlushAt: 0,
      chain: Promise.resolve(),
    };
    this.pending.set(id, entry);
    entry.latest = snapshot;
    if (entry.timer !== undefined && !snapshot.finish) return;
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    const wait = snapshot.finish ? 0 : entry.lastFlushAt + this.opts.flushIntervalMs - Date.now();
    if (wait <= 0) {
      entry.timer = undefined;
      this.flush(id, entry);
      return;
    }
    entry.timer = setTimeout(() => this.flush(id, entry), wait);
  }

  private flush(id: string, entry: Pending): void {
    entry.timer = undefined;
    const snapshot = entry.latest;
    if (snapshot === undefined) return;
    entry.latest = undefined;
    entry.lastFlushAt = Date.now();
    entry.chain = entry.chain
      .then(() => (snapshot.finish ? this.writeFinal(id, snapshot) : this.rows.update(id, snapshot.content)))
      .catch(this.onError);
  }

  /**
   * A final snapshot must reach the store: while its row says "running", the heartbeat keeps it
   * fresh and no other instance would ever finish it. A failed write is kept and retried.
   */
  private async writeFinal(id: string, snapshot: StreamSnapshot): Promise<void> {
    this.pending.delete(id);
    if (this.opts.writeRunningSnapshots === false && (snapshot.images ?? []).length === 0) {
      this.finals.add({ id, content: snapshot.content });
      return;
    }
    try {
      await this.rows.finish(id, snapshot.content, snapshot.images ?? ([] as StreamImage[]));
    } catch (err) {
      this.unwrittenFinals.set(id, snapshot);
      throw err;
    }
  }

  /** A failed batch is kept like a failed single write, and retried with the heartbeat. */
  private async writeFinals(rows: readonly { readonly id: string; readonly content: string }[]): Promise<void> {
    try {
      await this.rows.finishMany(rows);
    } catch (err) {
      for (const row of rows) this.unwrittenFinals.set(row.id, { content: row.content, finish: true });
      throw err;
    }
  }

  private async retryFinals(): Promise<void> {
    for (const [id, snapshot] of this.unwrittenFinals) {
      await this.rows.finish(id, snapshot.content, snapshot.images ?? []);
      this.unwrittenFinals.delete(id);
    }
  }
}
