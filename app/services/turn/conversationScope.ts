import type { GroupScope } from '../../config';
import type { ChatAddress } from '../channel';
import type { UserMessage, WecomEvent } from '../wecom/inbound';

/** Who a message belongs to, as far as Dify's `user` and conversation continuity are concerned. */
export interface ChatParty {
  readonly aibotid: string;
  readonly userid: string;
  readonly chattype: 'single' | 'group';
  readonly chatid: string | undefined;
}

/** Who wrote, in which chat: the same for a user message and for an event (§5.1). */
export function partyOf(message: UserMessage | WecomEvent): ChatParty {
  return { aibotid: message.aibotid, userid: message.from.userid, chattype: message.chattype, chatid: message.chatid };
}

/**
 * The chat a party writes in, as the outbox and the long connection address it: the group's chatid,
 * or the user's userid in a single chat (aibot_send_msg's `chatid`, §12).
 */
export function chatAddressOf(botKey: string, party: Pick<ChatParty, 'chattype' | 'chatid' | 'userid'>): ChatAddress {
  const group = party.chattype === 'group' && party.chatid !== undefined;
  return { botKey, chattype: group ? 'group' : 'single', chatid: group ? (party.chatid as string) : party.userid };
}

export interface ConversationScope {
  /** Dify's end-user id (dify-api.md §1.3): conversations only continue under the same `user`. */
  readonly difyUser: string;
  /** Where the conversation id is stored: per agent, since ids are only valid within one app (§8 P4). */
  readonly key: string;
  readonly agentId: string;
}

/**
 * Stable Dify identity per WeCom chat. The bot is part of it, so two bots in one group do not share a
 * session (peers.md §5.6). Groups share one conversation by default; `member` gives each member their
 * own (wecom-aibot-protocol.md §15.12).
 */
export function conversationScope(party: ChatParty, agentId: string, groupScope: GroupScope): ConversationScope {
  let difyUser: string;
  if (party.chattype === 'group' && party.chatid !== undefined && party.chatid !== '') {
    difyUser =
      groupScope === 'member'
        ? `wecom:${party.aibotid}:group:${party.chatid}:${party.userid}`
        : `wecom:${party.aibotid}:group:${party.chatid}`;
  } else {
    difyUser = `wecom:${party.aibotid}:${party.userid}`;
  }
  return { difyUser, key: `${agentId}|${difyUser}`, agentId };
}
