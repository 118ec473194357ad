import type { ConversationKey, ConversationRow, ConversationStore } from './conversationStore';
import type { Queryable } from './database';

/** Dify conversation ids per chat scope, kept across restarts and shared by all instances. */
export class SqlConversationStore implements ConversationStore {
  constructor(
    private readonly db: Queryable,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  async get(key: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ conversation_id: string }>(
      'SELECT conversation_id FROM conversations WHERE key = $1',
      [key],
    );
    return rows[0]?.conversation_id;
  }

  async set(scope: ConversationKey, conversationId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO conversations (key, agent_id, dify_user, conversation_id, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (key) DO UPDATE SET conversation_id = EXCLUDED.conversation_id, updated_at = now()`,
      [scope.key, scope.agentId, scope.difyUser, conversationId],
    );
  }

  async delete(key: string): Promise<void> {
    await this.db.query('DELETE FROM conversations WHERE key = $1', [key]);
  }

  /**
   * Written at once: other instances read this row, and a message of the same chat may reach one of
   * them while this turn is still running (dify-api.md §4.2: save the id as soon as it is known).
   */
  learned(scope: ConversationKey, conversationId: string): ConversationRow | undefined {
    this.set(scope, conversationId).catch(this.onError);
    return undefined;
  }
}
