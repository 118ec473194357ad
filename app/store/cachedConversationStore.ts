import { LRUCache } from 'lru-cache';
import type { ConversationKey, ConversationRow, ConversationStore } from './conversationStore';

/** '' stands for "known to have no conversation": lru-cache holds no undefined, and Dify reads '' as "start one". */
const NONE = '';

export interface CachedConversationOptions {
  /** Bound on the remembered chats (~300 bytes each); an evicted chat costs one read on its next turn. */
  readonly max?: number;
  /** How long an id is trusted without reading the store, so retention's deletes are seen within that time. */
  readonly ttlMs?: number;
}

/**
 * The conversation ids of the one instance that writes them, in memory and written through to the
 * store, so a returning user's turn reads no row (issue #14 scope 3). Only for a store no other
 * process writes (the embedded store, which one process opens): with a shared PostgreSQL another
 * instance may start, reset or delete (`/new`) a chat's conversation, and a cached id would be stale.
 * New ids are not written here but returned by `learned` for the turn's final write to carry.
 */
export class CachedConversationStore implements ConversationStore {
  private readonly ids: LRUCache<string, string>;

  constructor(
    private readonly inner: ConversationStore,
    opts: CachedConversationOptions = {},
  ) {
    this.ids = new LRUCache<string, string>({ max: opts.max ?? 20_000, ttl: opts.ttlMs ?? 60 * 60 * 1000 });
  }

  async get(key: string): Promise<string | undefined> {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = (await this.inner.get(key)) ?? NONE;
      // A turn of this chat that ended meanwhile knows better than the row read before it.
      if (!this.ids.has(key)) this.ids.set(key, id);
      else id = this.ids.get(key) ?? id;
    }
    return id === NONE ? undefined : id;
  }

  async set(scope: ConversationKey, conversationId: string): Promise<void> {
    this.ids.set(scope.key, conversationId);
    await this.inner.set(scope, conversationId);
  }

  async delete(key: string): Promise<void> {
    // Remembered as "none" rather than forgotten: a final write still queued must not bring it back here.
    this.ids.set(key, NONE);
    await this.inner.delete(key);
  }

  learned(scope: ConversationKey, conversationId: string): ConversationRow | undefined {
    this.ids.set(scope.key, conversationId);
    return { ...scope, conversationId };
  }
}
