import { CachedConversationStore } from '../../../app/store/cachedConversationStore';
import type { ConversationKey, ConversationStore } from '../../../app/store/conversationStore';

const alice: ConversationKey = { key: 'agent-1|wecom:aib:alice', agentId: 'agent-1', difyUser: 'wecom:aib:alice' };

/** A store that counts its reads and writes, standing in for the SQL one. */
function countingStore(rows = new Map<string, string>()) {
  const calls = { get: 0, set: 0, delete: 0 };
  const store: ConversationStore = {
    get: async (key) => {
      calls.get += 1;
      return rows.get(key);
    },
    set: async (scope, id) => {
      calls.set += 1;
      rows.set(scope.key, id);
    },
    delete: async (key) => {
      calls.delete += 1;
      rows.delete(key);
    },
    learned: () => undefined,
  };
  return { store, calls, rows };
}

describe('CachedConversationStore (the embedded store: one process writes it)', () => {
  it('reads a chat once, then answers from memory, including "no conversation yet"', async () => {
    const { store, calls } = countingStore(new Map([[alice.key, 'conv-1']]));
    const cached = new CachedConversationStore(store);
    expect(await cached.get(alice.key)).toBe('conv-1');
    expect(await cached.get(alice.key)).toBe('conv-1');
    expect(await cached.get('agent-1|wecom:aib:nobody')).toBeUndefined();
    expect(await cached.get('agent-1|wecom:aib:nobody')).toBeUndefined();
    expect(calls.get).toBe(2);
  });

  it('leaves a learned id to the final write and answers the next turn with it, without a read', async () => {
    const { store, calls } = countingStore();
    const cached = new CachedConversationStore(store);
    expect(await cached.get(alice.key)).toBeUndefined();
    expect(cached.learned(alice, 'conv-new')).toEqual({ ...alice, conversationId: 'conv-new' });
    expect(await cached.get(alice.key)).toBe('conv-new');
    expect(calls).toEqual({ get: 1, set: 0, delete: 0 });
  });

  it('writes set and delete through, and remembers a deleted chat as having none', async () => {
    const { store, calls, rows } = countingStore();
    const cached = new CachedConversationStore(store);
    await cached.set(alice, 'conv-1');
    expect(rows.get(alice.key)).toBe('conv-1');
    await cached.delete(alice.key);
    rows.set(alice.key, 'conv-1'); // a final write queued before the delete lands after it
    expect(await cached.get(alice.key)).toBeUndefined();
    expect(calls).toEqual({ get: 0, set: 1, delete: 1 });
  });

  it('forgets the oldest chats beyond its bound and reads them again', async () => {
    const { store, calls } = countingStore();
    const cached = new CachedConversationStore(store, { max: 2 });
    for (const user of ['a', 'b', 'c', 'a']) await cached.get(`agent-1|${user}`);
    expect(calls.get).toBe(4);
  });
});
