import type { CommentWait, DeliveryState, HilReply, HilRequest, HilStatus, JsonObject, LoopType } from './hilRequests';

/**
 * Every column of hil_requests, timestamps as ms since epoch: the SELECT list and the RETURNING list of
 * every statement that hands a request back, so all of them map through requestFromRow.
 */
export const REQUEST_COLUMNS = `id, owner, platform, conversation_id, request_id, task_id, loop_type, status, context, metadata,
  response, feedback, responded_by, (extract(epoch from responded_at) * 1000)::float8 AS responded_at_ms,
  bot_key, chattype, chatid, approvers, delivery, card_task_id, short_id,
  (extract(epoch from expires_at) * 1000)::float8 AS expires_at_ms,
  (extract(epoch from created_at) * 1000)::float8 AS created_at_ms,
  (extract(epoch from updated_at) * 1000)::float8 AS updated_at_ms`;

/** A row as REQUEST_COLUMNS reads it: pg and PGlite both parse jsonb, and uuid comes back as text. */
export interface RequestRow {
  id: string;
  owner: string;
  platform: string;
  conversation_id: string;
  request_id: string;
  task_id: string;
  loop_type: LoopType;
  status: HilStatus;
  context: JsonObject;
  metadata: JsonObject;
  response: JsonObject | null;
  feedback: unknown;
  responded_by: string | null;
  responded_at_ms: number | null;
  bot_key: string;
  chattype: 'single' | 'group';
  chatid: string;
  approvers: unknown;
  delivery: DeliveryState;
  card_task_id: string | null;
  short_id: string;
  expires_at_ms: number;
  created_at_ms: number;
  updated_at_ms: number;
}

export function requestFromRow(row: RequestRow): HilRequest {
  return {
    id: row.id,
    owner: row.owner,
    platform: row.platform,
    conversationId: row.conversation_id,
    requestId: row.request_id,
    taskId: row.task_id,
    loopType: row.loop_type,
    status: row.status,
    context: row.context,
    metadata: row.metadata,
    response: row.response,
    feedback: row.feedback,
    respondedBy: row.responded_by,
    respondedAt: row.responded_at_ms,
    target: { botKey: row.bot_key, chattype: row.chattype, chatid: row.chatid },
    approvers: stringArray(row.approvers),
    delivery: row.delivery,
    cardTaskId: row.card_task_id,
    shortId: row.short_id,
    expiresAt: row.expires_at_ms,
    createdAt: row.created_at_ms,
    updatedAt: row.updated_at_ms,
  };
}

/** approvers is written as a JSON array of userids; anything else in the column (a hand edit) counts as none. */
function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export const REPLY_COLUMNS = `request_id, msgid, userid, text, (extract(epoch from at) * 1000)::float8 AS at_ms`;

export interface ReplyRow {
  request_id: string;
  msgid: string;
  userid: string;
  text: string;
  at_ms: number;
}

export function replyFromRow(row: ReplyRow): HilReply {
  return { requestId: row.request_id, msgid: row.msgid, userid: row.userid, text: row.text, at: row.at_ms };
}

export const COMMENT_WAIT_COLUMNS = `request_id, bot_key, chatid, userid, draft,
  (extract(epoch from wait_until) * 1000)::float8 AS wait_until_ms`;

export interface CommentWaitRow {
  request_id: string;
  bot_key: string;
  chatid: string;
  userid: string;
  draft: string | null;
  wait_until_ms: number;
}

export function commentWaitFromRow(row: CommentWaitRow): CommentWait {
  return {
    requestId: row.request_id,
    botKey: row.bot_key,
    chatid: row.chatid,
    userid: row.userid,
    draft: row.draft,
    until: row.wait_until_ms,
  };
}
