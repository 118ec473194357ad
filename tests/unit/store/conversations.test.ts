import type { ConversationKey } from '../../../app/store/conversationStore';
import { migrate } from '../../../app/store/migrations';
import { MIGRATIONS } from '../../../app/store/schema';
import { SqlConversationStore } from '../../../app/store/sqlConversationStore';
import { forEachDatabase } from '../../helpers/databases';

function scope(agentId: string, difyUser: string): ConversationKey {
  return { key: `${agentId}|${difyUser}`, agentId, difyUser };
}

interface ConversationRow {
  agent_id: string;
  dify_user: string;
  conversation_id: string;
  updated_at: Date;
}

forEachDatabase('SqlConversationStore', (getDb) => {
  beforeAll(async () => {
    await migrate(getDb(), MIGRATIONS);
  });

  async function row(key: string): Promise<ConversationRow | undefined> {
    const { rows } = await getDb().query<ConversationRow>(
      'SELECT agent_id, dify_user, conversation_id, updated_at FROM conversations WHERE key = $1',
      [key],
    );
    return rows[0];
  }

  it('returns undefined for a key it never stored', async () => {
    expect(await new SqlConversationStore(getDb()).get('agent-x|wecom:nobody')).toBeUndefined();
  });

  it('stores a conversation id with its agent and Dify user, and gets it back', async () => {
    const store = new SqlConversationStore(getDb());
    const alice = scope('agent-1', 'wecom:aibot:alice');
    await store.set(alice, 'conv-1');
    expect(await store.get(alice.key)).toBe('conv-1');
    expect(await row(alice.key)).toEqual({
      agent_id: 'agent-1',
      dify_user: 'wecom:aibot:alice',
      conversation_id: 'conv-1',
      updated_at: expect.any(Date),
    });
  });

  it('overwrites the id of a key and refreshes its updated_at', async () => {
    const store = new SqlConversationStore(getDb());
    const bob = scope('agent-1', 'wecom:aibot:bob');
    await store.set(bob, 'conv-old');
    await getDb().query(`UPDATE conversations SET updated_at = now() - interval '1 day' WHERE key = $1`, [bob.key]);
    await store.set(bob, 'conv-new');
    expect(await store.get(bob.key)).toBe('conv-new');
    const stored = await row(bob.key);
    expect(stored?.conversation_id).toBe('conv-new');
    expect(Date.now() - (stored?.updated_at.getTime() ?? 0)).toBeLessThan(60_000);
    const { rows } = await getDb().query<{ n: number }>('SELECT count(*)::int AS n FROM conversations WHERE key = $1', [
      bob.key,
    ]);
    expect(rows[0]?.n).toBe(1);
  });

  it('keeps scopes of different agents and users apart', async () => {
    const store = new SqlConversationStore(getDb());
    const first = scope('agent-1', 'wecom:aibot:carol');
    const otherAgent = scope('agent-2', 'wecom:aibot:carol');
    const otherUser = scope('agent-1', 'wecom:aibot:dave');
    await store.set(first, 'conv-a');
    await store.set(otherAgent, 'conv-b');
    await store.set(otherUser, 'conv-c');
    expect([await store.get(first.key), await store.get(otherAgent.key), await store.get(otherUser.key)]).toEqual([
      'conv-a',
      'conv-b',
      'conv-c',
    ]);
  });

  it('deletes one key and leaves the others; deleting an unknown key is fine', async () => {
    const store = new SqlConversationStore(getDb());
    const kept = scope('agent-3', 'wecom:aibot:erin');
    const gone = scope('agent-3', 'wecom:aibot:frank');
    await store.set(kept, 'conv-kept');
    await store.set(gone, 'conv-gone');
    await store.delete(gone.key);
    await store.delete('agent-3|wecom:aibot:never-stored');
    expect(await store.get(gone.key)).toBeUndefined();
    expect(await row(gone.key)).toBeUndefined();
    expect(await store.get(kept.key)).toBe('conv-kept');
  });

  it('sees what another store on the same database wrote (another instance)', async () => {
    const writer = new SqlConversationStore(getDb());
    const reader = new SqlConversationStore(getDb());
    const grace = scope('agent-4', 'wecom:aibot:grace');
    await writer.set(grace, 'conv-shared');
    expect(await reader.get(grace.key)).toBe('conv-shared');
    await reader.delete(grace.key);
    expect(await writer.get(grace.key)).toBeUndefined();
  });
});
