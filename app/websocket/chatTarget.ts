import type { ChatParty } from '../services/turn/conversationScope';

/** Where a conversation's messages go on the long connection, and the key its send quota is counted by. */
export interface ChatTarget {
  /** aibot_send_msg's `chatid`: the group's chatid, or the user's userid in a single chat (§12). */
  readonly chatid: string;
  readonly quotaKey: string;
}

export function chatTargetOf(party: ChatParty): ChatTarget {
  const chatid = party.chattype === 'group' && party.chatid !== undefined ? party.chatid : party.userid;
  return { chatid, quotaKey: `${party.aibotid}:${chatid}` };
}
