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
