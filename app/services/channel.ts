/**
 * The ports both channels implement — the callback channel (services/intake/callbackService.ts, WeCom
 * polls an HTTP URL) and the long connection (app/websocket/, we push frames over a WebSocket) — so
 * that the intake, the turn and whatever comes next (the people-in-the-loop hub) are written once.
 * ARCHITECTURE.md "Ports" says who implements and who calls each.
 */
import type { StreamMeta, StreamSnapshot } from '../store/streamStore';
import type { TemplateCard } from './wecom/templateCards';

/**
 * Where a turn's snapshots go. The callback channel stores them for WeCom's polls; the long connection
 * pushes them as stream frames. The turn knows nothing else about the channel.
 */
export interface TurnChannel {
  publish(snapshot: StreamSnapshot): Promise<void>;
  /** Delivers the answer after the stream was closed at the window (callback: response_url; push: a message). */
  deliverLate(markdown: string): Promise<boolean>;
}

/** How a turn's answer reached the user. */
export type AnswerStreamEnd = 'in-stream' | 'late-delivered' | 'late-failed';

/** What the channel a user message came in on brings to its turn. */
export interface IntakeSource {
  /** Decrypts the message's media when they carry no key of their own (callback mode, §10). */
  readonly mediaKey: Buffer | undefined;
  /** The one-shot URL of the late answer (callback mode, §9). */
  readonly responseUrl: string | undefined;
  /** The long connection: the req_id of the message's frame, kept with its stream (StreamMeta.reqId). */
  readonly reqId?: string;
  /** Where the turn's snapshots go: stored for polls, or pushed over the long connection. */
  channel(meta: StreamMeta): TurnChannel;
  /** No stream to show (a question asked from a card click): the answer goes to late delivery only. */
  readonly streamless?: boolean;
  /** The message was answered (at once, or by its turn, however it ended); the channel may reuse what it left. */
  settled?(meta: StreamMeta, end: AnswerStreamEnd): void;
}

/** Sends a finished answer as one markdown message to the chat an event came from; false when it could not. */
export type LateDelivery = (markdown: string, ids: { stream: string; msgid: string }) => Promise<boolean>;

/** What the channel an event came in on brings to whoever handles it. */
export interface EventSource {
  /**
   * How an answer asked for by the event (a card click) reaches its chat later, if it can. Calling it
   * reserves that way for the caller: a callback event's response_url works once, and one nobody
   * reserved is left to the chat outbox.
   */
  reserveLate(): LateDelivery | undefined;
}

/**
 * A reply to an event (wecom-aibot-protocol.md §6): empty, or a body that is a welcome (§6.1) or a card
 * update (§6.5). The callback channel encrypts its JSON; the long connection sends it with the
 * command of its purpose (§12).
 */
export type EventReply =
  | { readonly kind: 'empty' }
  | { readonly kind: 'reply'; readonly purpose: 'welcome' | 'update_card'; readonly body: Record<string, unknown> };

/**
 * A chat of one bot: a single chat is addressed by the user's userid, a group by its chatid — the
 * same `chatid` that aibot_send_msg takes (§12).
 */
export interface ChatAddress {
  /** The bot's WECOM_BOTS key (or `*` for the default callback bot). */
  readonly botKey: string;
  readonly chattype: 'single' | 'group';
  /** The userid in a single chat, the group's chatid in a group. */
  readonly chatid: string;
}

export type OutboundMessage =
  { readonly kind: 'markdown'; readonly text: string } | { readonly kind: 'card'; readonly card: TemplateCard };

/** Why a message could not be sent; `refused` covers WeCom saying no and the network failing. */
export type OutboxFailure =
  'unknown_bot' | 'no_response_url' | 'card_needs_single_chat' | 'not_connected' | 'invalid_message' | 'refused';

export type OutboxResult = { readonly kind: 'sent' } | { readonly kind: 'not_sent'; readonly reason: OutboxFailure };

/**
 * Sends something to a chat of a bot outside any turn: by a push on the long connection
 * (aibot_send_msg, §12), or for a callback bot through a fresh, unused response_url the chat left
 * (§9: one call each, valid 1 hour; cards only where that callback came from a single chat) — or
 * says why it could not. Never throws.
 */
export interface ChatOutbox {
  send(to: ChatAddress, message: OutboundMessage): Promise<OutboxResult>;
}

/**
 * When a chat that could not be written to may be writable now (a fresh response_url, a chat that
 * wrote on the long connection): what was queued for it can go out then. The listener must not block.
 */
export interface ChatReachability {
  onReachable(listener: (to: ChatAddress) => void): void;
}
