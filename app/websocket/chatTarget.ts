import type { ChatAddress } from '../services/channel';
import { type ChatParty, chatAddressOf } from '../services/turn/conversationScope';

/** Where a conversation's messages go on the long connection, and the key its send quota is counted by. */
export interface ChatTarget {
  /** aibot_send_msg's `chatid`: the group's chatid, or the user's userid in a single chat (§12). */
  readonly chatid: string;
  readonly quotaKey: string;
}

/** The chat a message or event of `botKey` came from. */
export function chatTargetOf(botKey: string, party: ChatParty): ChatTarget {
  return chatTargetAt(chatAddressOf(botKey, party));
}

/** A chat the outbox was asked to write to: counted against the same quota as the chat's answers. */
export function chatTargetAt(address: ChatAddress): ChatTarget {
  return { chatid: address.chatid, quotaKey: `${address.botKey}:${address.chatid}` };
}
