import { LRUCache } from 'lru-cache';

/**
 * Dify conversation ids per chat scope, so that the next message continues the same conversation
 * (dify-api.md §1.3). Keys are built by the conversation service; this room only stores them.
 */
/** Where a conversation id belongs: one agent (ids are only valid within one app) and one Dify user. */
export interface ConversationKey {
  readonly key: string;
  readonly agentId: string;
  readonly difyUser: string;
}

export interface ConversationStore {
  get(key: string): Promise<string | undefined>;
  set(scope: ConversationKey, conversationId: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export class MemoryConversationStore implements ConversationStore {
  private readonly ids: LRUCache<string, string>;

  constructor(opts: { max?: number; ttlMs?: number } = {}) {
    this.ids = new LRUCache<string, string>({ max: opts.max ?? 100_000, ...(opts.ttlMs !== undefined ? { ttl: opts.ttlMs } : {}) });
  }

  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.ids.get(key));
  }

  set(scope: ConversationKey, conversationId: string): Promise<void> {
    this.ids.set(scope.key, conversationId);
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.ids.delete(key);
    return Promise.resolve();
  }
}
