import type { Queryable } from './database';

export interface RetentionPeriods {
  /** Streams and msgid claims: long enough for WeCom's polls and retries. */
  readonly streamMs: number;
  readonly messageMs: number;
  readonly conversationMs: number;
  /** A user's admission row not written for this long holds only expired entries (the running-turn expiry). */
  readonly admissionMs: number;
}

export interface RetentionResult {
  readonly streams: number;
  readonly claims: number;
  readonly messages: number;
  readonly conversations: number;
  /** Ended people-in-the-loop requests (with their replies), by the message period. */
  readonly hilRequests: number;
  /** Interaction batches (and their snapshots) whose webhook is settled, past the message period. */
  readonly hilBatches: number;
  readonly admissions: number;
}

const DELETE_OLDER = {
  streams: 'DELETE FROM streams WHERE updated_at < now() - make_interval(secs => $1::double precision / 1000)',
  claims: 'DELETE FROM msgid_claims WHERE created_at < now() - make_interval(secs => $1::double precision / 1000)',
  messages: 'DELETE FROM messages WHERE received_at < now() - make_interval(secs => $1::double precision / 1000)',
  conversations:
    'DELETE FROM conversations WHERE updated_at < now() - make_interval(secs => $1::double precision / 1000)',
  // An open request is kept whatever its age: it ends by its own expiry first.
  hilRequests: `DELETE FROM hil_requests WHERE status NOT IN ('pending', 'inprogress')
    AND updated_at < now() - make_interval(secs => $1::double precision / 1000)`,
  // A batch whose webhook is still to be sent is kept; the others go once ended as long as their requests.
  hilBatches: `DELETE FROM hil_batches WHERE delivery <> 'pending'
    AND GREATEST(updated_at, expires_at) < now() - make_interval(secs => $1::double precision / 1000)`,
  admissions:
    'DELETE FROM user_admission WHERE updated_at < now() - make_interval(secs => $1::double precision / 1000)',
  commentWaits: 'DELETE FROM hil_comment_waits WHERE wait_until < now()',
} as const;

/** Deletes rows past their retention period (issue #4 scope 5); safe to run on every instance. */
export async function applyRetention(db: Queryable, periods: RetentionPeriods): Promise<RetentionResult> {
  const streams = await db.query(DELETE_OLDER.streams, [periods.streamMs]);
  const claims = await db.query(DELETE_OLDER.claims, [periods.streamMs]);
  const messages = await db.query(DELETE_OLDER.messages, [periods.messageMs]);
  const conversations = await db.query(DELETE_OLDER.conversations, [periods.conversationMs]);
  const hilRequests = await db.query(DELETE_OLDER.hilRequests, [periods.messageMs]);
  const hilBatches = await db.query(DELETE_OLDER.hilBatches, [periods.messageMs]);
  const admissions = await db.query(DELETE_OLDER.admissions, [periods.admissionMs]);
  await db.query(DELETE_OLDER.commentWaits);
  return {
    streams: streams.rowCount,
    claims: claims.rowCount,
    messages: messages.rowCount,
    conversations: conversations.rowCount,
    hilRequests: hilRequests.rowCount,
    hilBatches: hilBatches.rowCount,
    admissions: admissions.rowCount,
  };
}
