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

/** A conversation id with where it belongs: a row of the `conversations` table. */
export interface ConversationRow extends ConversationKey {
  readonly conversationId: string;
}

export interface ConversationStore {
  get(key: string): Promise<string | undefined>;
  set(scope: ConversationKey, conversationId: string): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * A turn learned its conversation's id (Dify's first event). The store either writes it now and
   * returns undefined, or remembers it and returns the row for the turn to write with its final write
   * (MessageLog.finished), which saves a statement per new conversation.
   */
  learned(scope: ConversationKey, conversationId: string): ConversationRow | undefined;
}
