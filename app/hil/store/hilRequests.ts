/**
 * The people-in-the-loop requests an agent asked (hil.md §2, issue #13 scope 1): the interface the hub's
 * services use. Its SQL is sqlHilRequests.ts; the tables are schema v4.
 */

export const LOOP_TYPES = ['approval', 'information', 'conversation'] as const;
export type LoopType = (typeof LOOP_TYPES)[number];

/** GoHumanLoop's HumanLoopStatus, all eight (hil.md §2.4). */
export const HIL_STATUSES = [
  'pending',
  'approved',
  'rejected',
  'expired',
  'error',
  'completed',
  'inprogress',
  'cancelled',
] as const;
export type HilStatus = (typeof HIL_STATUSES)[number];

/** The statuses a person (or an operator) may still change; every transition is conditional on them. */
export const OPEN_STATUSES: readonly HilStatus[] = ['pending', 'inprogress'];

/**
 * How the request reached its chat: pushed or posted (`delivered`), or waiting for the person's next
 * contact because the bot could not speak first (`queued`, hil.md §7.2 path 3).
 */
export type DeliveryState = 'queued' | 'delivered';

/** The chat a request is shown in: a bot's single chat with a user, or a group (= services/channel ChatAddress). */
export interface HilTarget {
  readonly botKey: string;
  readonly chattype: 'single' | 'group';
  /** The userid in a single chat, the group's chatid in a group. */
  readonly chatid: string;
}

export type JsonObject = Record<string, unknown>;

export interface HilRequest {
  /** The server's uuid (the admin API's `request_id`, hil.md §2.9). */
  readonly id: string;
  /** The API key's name the request came with (its tenant); `admin` for operator-made ones. */
  readonly owner: string;
  readonly platform: string;
  readonly conversationId: string;
  /** The client's request_id (GoHumanLoop: a uuid4 it made). */
  readonly requestId: string;
  readonly taskId: string;
  readonly loopType: LoopType;
  readonly status: HilStatus;
  readonly context: JsonObject;
  readonly metadata: JsonObject;
  readonly response: JsonObject | null;
  readonly feedback: unknown;
  readonly respondedBy: string | null;
  /** ms since epoch. */
  readonly respondedAt: number | null;
  readonly target: HilTarget;
  /** Userids whose answer counts; empty = whoever the target is (the single chat's user, anyone in the group). */
  readonly approvers: readonly string[];
  readonly delivery: DeliveryState;
  /** The card's task_id (approvals), unique per bot. */
  readonly cardTaskId: string | null;
  /** 8 hex, unique among open requests: `[#3f2a9c1b]` in the chat. */
  readonly shortId: string;
  readonly expiresAt: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export type NewHilRequest = Omit<
  HilRequest,
  'id' | 'status' | 'response' | 'feedback' | 'respondedBy' | 'respondedAt' | 'shortId' | 'createdAt' | 'updatedAt'
>;

/** What a person's (or an operator's) answer sets. */
export interface HilAnswer {
  readonly status: HilStatus;
  readonly response: JsonObject | null;
  readonly feedback?: unknown;
  readonly respondedBy: string | null;
  readonly respondedAt: number;
}

/** One thing a person said to a request (a conversation has several), deduplicated by the WeCom msgid. */
export interface HilReply {
  readonly requestId: string;
  readonly msgid: string;
  readonly userid: string;
  readonly text: string;
  readonly at: number;
}

export interface HilListFilter {
  readonly owner?: string;
  readonly loopType?: LoopType;
  readonly status?: HilStatus;
  readonly platform?: string;
  /** The bot whose chat shows the request (the console's filter). */
  readonly botKey?: string;
  /** ms since epoch, inclusive / exclusive. */
  readonly createdFrom?: number;
  readonly createdBefore?: number;
  readonly skip: number;
  readonly limit: number;
}

export interface HilStats {
  readonly byStatus: Record<HilStatus, number>;
  readonly byType: Record<LoopType, number>;
  readonly byPlatform: Record<string, number>;
  readonly total: number;
}

/** "The person's next message in this chat is the comment on this request" (after 填写意见, 10 min). */
export interface CommentWait {
  readonly requestId: string;
  readonly botKey: string;
  readonly chatid: string;
  readonly userid: string;
  /** A comment given before the decision: the reason of the click that follows. */
  readonly draft: string | null;
  readonly until: number;
}

export interface HilRequests {
  /**
   * Creates the request, or returns the one with the same (owner, platform, conversation_id, request_id)
   * unchanged (`created: false`): a client retrying after a lost answer gets the same request (hil.md §2.6).
   * Draws a short_id unique among open requests.
   */
  create(input: NewHilRequest, now: number): Promise<{ readonly request: HilRequest; readonly created: boolean }>;
  byId(id: string): Promise<HilRequest | undefined>;
  byClientIds(
    owner: string,
    platform: string,
    conversationId: string,
    requestId: string,
  ): Promise<HilRequest | undefined>;
  /** The open request with this short id, else the newest closed one (so a late click hears "已过期"). */
  byShortId(shortId: string): Promise<HilRequest | undefined>;
  byCardTaskId(botKey: string, cardTaskId: string): Promise<HilRequest | undefined>;
  /** Open requests shown (or queued) in this chat, oldest first. */
  openInChat(target: HilTarget): Promise<HilRequest[]>;
  /** Open requests of a conversation of an owner (cancel_conversation, continue). */
  openInConversation(owner: string, platform: string, conversationId: string): Promise<HilRequest[]>;
  /** Whether any request is open at all: the claimant's cheap gate on the chat's hot path. */
  anyOpen(): Promise<boolean>;
  /**
   * Applies the answer only while the request's status is one of `from` (default pending/inprogress):
   * a double click, a WeCom retry or a second instance never answers twice. The updated row, or
   * undefined when it was not open.
   */
  answer(id: string, answer: HilAnswer, from?: readonly HilStatus[]): Promise<HilRequest | undefined>;
  /** Sets the status whatever it was (the admin API's POST /requests/{id}/status). */
  forceStatus(id: string, status: HilStatus, now: number): Promise<HilRequest | undefined>;
  setDelivery(id: string, delivery: DeliveryState, cardTaskId: string | null, now: number): Promise<void>;
  /** Open requests past their expires_at become `expired`; returns them. */
  expireDue(now: number): Promise<HilRequest[]>;
  /** Records a reply; false when this msgid was already recorded for the request. */
  addReply(reply: HilReply): Promise<boolean>;
  replies(requestId: string): Promise<HilReply[]>;
  list(filter: HilListFilter): Promise<{ readonly rows: HilRequest[]; readonly count: number }>;
  stats(owner?: string): Promise<HilStats>;
  /** Replaces the task document of `tasks/sync` (hil.md §2.7). */
  saveTaskSync(owner: string, taskId: string, document: JsonObject, now: number): Promise<void>;
  /** One wait per (bot, chat, user): a new 填写意见 replaces the old one. */
  setCommentWait(wait: CommentWait): Promise<void>;
  commentWait(botKey: string, chatid: string, userid: string, now: number): Promise<CommentWait | undefined>;
  clearCommentWait(botKey: string, chatid: string, userid: string): Promise<void>;
}
