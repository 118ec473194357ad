import { randomBytes, randomUUID } from 'node:crypto';
import type { Queryable } from '../../store/database';
import {
  HIL_STATUSES,
  OPEN_STATUSES,
  type CommentWait,
  type DeliveryState,
  type HilAnswer,
  type HilListFilter,
  type HilReply,
  type HilRequest,
  type HilRequests,
  type HilStats,
  type HilStatus,
  type HilTarget,
  type JsonObject,
  type NewHilRequest,
} from './hilRequests';
import { REQUEST_COLUMNS, requestFromRow, type RequestRow } from './hilRows';
import { SqlHilChatState } from './sqlHilChatState';
import { listRequests, requestStats } from './sqlHilReports';

/** The partial unique index that keeps a short id to one open request (schema v4). */
const SHORT_ID_INDEX = 'hil_requests_open_short_id';
/** 2^32 short ids: a few draws only collide when thousands are open, and then a new draw almost surely fits. */
const SHORT_ID_ATTEMPTS = 5;
/**
 * The open statuses as a literal predicate, not a parameter: the planner only uses the partial indexes
 * (open_chat, open_expiry) when it can see the query's condition implies theirs.
 */
const OPEN = `status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A ms-since-epoch parameter as timestamptz. */
const at = (n: number): string => `to_timestamp($${n}::double precision / 1000)`;

export function randomShortId(): string {
  return randomBytes(4).toString('hex');
}

/** The people-in-the-loop tables of schema v4: hil_requests, hil_replies, hil_comment_waits, hil_task_syncs. */
export class SqlHilRequests implements HilRequests {
  /** `drawShortId` is there for tests, to force collisions. */
  constructor(
    private readonly db: Queryable,
    private readonly drawShortId: () => string = randomShortId,
  ) {
    this.side = new SqlHilChatState(db);
  }

  private readonly side: SqlHilChatState;
  private readonly changeListeners: ((request: HilRequest) => void)[] = [];

  /** Told of every status change and expiry made through this object (services/requestSignals.ts). */
  onChange(listener: (request: HilRequest) => void): void {
    this.changeListeners.push(listener);
  }

  private told<T extends HilRequest | undefined>(request: T): T {
    if (request !== undefined) for (const listener of this.changeListeners) listener(request);
    return request;
  }

  async create(
    input: NewHilRequest,
    now: number,
  ): Promise<{ readonly request: HilRequest; readonly created: boolean }> {
    const inserted = await this.withFreshShortId((shortId) => this.insert(input, shortId, now));
    if (inserted !== undefined) return { request: inserted, created: true };
    const existing = await this.byClientIds(input.owner, input.platform, input.conversationId, input.requestId);
    // Only a delete between the conflicting INSERT and this read gets here (nothing deletes requests today).
    if (existing === undefined) throw new Error(`hil request ${input.requestId} conflicted but is gone`);
    return { request: existing, created: false };
  }

  async byId(id: string): Promise<HilRequest | undefined> {
    // A path parameter that is no uuid would make PostgreSQL fail the cast: it simply names no request.
    if (!UUID.test(id)) return undefined;
    return this.one(`SELECT ${REQUEST_COLUMNS} FROM hil_requests WHERE id = $1`, [id]);
  }

  byClientIds(
    owner: string,
    platform: string,
    conversationId: string,
    requestId: string,
  ): Promise<HilRequest | undefined> {
    return this.one(
      `SELECT ${REQUEST_COLUMNS} FROM hil_requests
        WHERE owner = $1 AND platform = $2 AND conversation_id = $3 AND request_id = $4`,
      [owner, platform, conversationId, requestId],
    );
  }

  byShortId(shortId: string): Promise<HilRequest | undefined> {
    // The open one first (at most one, by the index), then the most recently touched closed one.
    return this.one(
      `SELECT ${REQUEST_COLUMNS} FROM hil_requests WHERE short_id = $1
        ORDER BY (${OPEN}) DESC, updated_at DESC, id DESC LIMIT 1`,
      [shortId.toLowerCase()],
    );
  }

  byCardTaskId(botKey: string, cardTaskId: string): Promise<HilRequest | undefined> {
    return this.one(`SELECT ${REQUEST_COLUMNS} FROM hil_requests WHERE bot_key = $1 AND card_task_id = $2`, [
      botKey,
      cardTaskId,
    ]);
  }

  openInChat(target: HilTarget): Promise<HilRequest[]> {
    return this.many(
      `SELECT ${REQUEST_COLUMNS} FROM hil_requests
        WHERE ${OPEN} AND bot_key = $1 AND chatid = $2 AND chattype = $3 ORDER BY created_at, id`,
      [target.botKey, target.chatid, target.chattype],
    );
  }

  openInConversation(owner: string, platform: string, conversationId: string): Promise<HilRequest[]> {
    return this.many(
      `SELECT ${REQUEST_COLUMNS} FROM hil_requests
        WHERE ${OPEN} AND owner = $1 AND platform = $2 AND conversation_id = $3 ORDER BY created_at, id`,
      [owner, platform, conversationId],
    );
  }

  async anyOpen(): Promise<boolean> {
    const { rows } = await this.db.query<{ open: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM hil_requests WHERE ${OPEN}) AS open`,
    );
    return rows[0]?.open === true;
  }

  answer(id: string, answer: HilAnswer, from: readonly HilStatus[] = OPEN_STATUSES): Promise<HilRequest | undefined> {
    // feedback absent keeps the stored one; null (or any value) replaces it, so COALESCE would not do.
    const keepFeedback = answer.feedback === undefined;
    return this.transition(id, from, {
      sql: `status = $4, response = $5::jsonb, feedback = CASE WHEN $6::boolean THEN feedback ELSE $7::jsonb END,
            responded_by = $8, responded_at = ${at(9)}, updated_at = ${at(9)}`,
      params: [
        answer.status,
        jsonOrNull(answer.response),
        keepFeedback,
        keepFeedback ? null : jsonOrNull(answer.feedback),
        answer.respondedBy,
        answer.respondedAt,
      ],
    });
  }

  forceStatus(id: string, status: HilStatus, now: number): Promise<HilRequest | undefined> {
    return this.transition(id, HIL_STATUSES, { sql: `status = $4, updated_at = ${at(5)}`, params: [status, now] });
  }

  async setDelivery(id: string, delivery: DeliveryState, cardTaskId: string | null, now: number): Promise<void> {
    if (!UUID.test(id)) return;
    await this.db.query(
      `UPDATE hil_requests SET delivery = $2, card_task_id = $3, updated_at = ${at(4)} WHERE id = $1`,
      [id, delivery, cardTaskId, now],
    );
  }

  async expireDue(now: number): Promise<HilRequest[]> {
    const expired = await this.many(
      `UPDATE hil_requests SET status = 'expired', updated_at = ${at(1)}
        WHERE ${OPEN} AND expires_at <= ${at(1)} RETURNING ${REQUEST_COLUMNS}`,
      [now],
    );
    for (const request of expired) this.told(request);
    // RETURNING has no order; callers announce them, oldest deadline first.
    return expired.sort((a, b) => a.expiresAt - b.expiresAt || a.createdAt - b.createdAt);
  }

  addReply(reply: HilReply): Promise<boolean> {
    return this.side.addReply(reply);
  }

  replies(requestId: string): Promise<HilReply[]> {
    return UUID.test(requestId) ? this.side.replies(requestId) : Promise.resolve([]);
  }

  async list(filter: HilListFilter): Promise<{ readonly rows: HilRequest[]; readonly count: number }> {
    const { rows, count } = await listRequests(this.db, filter);
    return { rows: rows.map(requestFromRow), count };
  }

  stats(owner?: string): Promise<HilStats> {
    return requestStats(this.db, owner);
  }

  saveTaskSync(owner: string, taskId: string, document: JsonObject, now: number): Promise<void> {
    return this.side.saveTaskSync(owner, taskId, document, now);
  }

  setCommentWait(wait: CommentWait): Promise<void> {
    return this.side.setCommentWait(wait);
  }

  commentWait(botKey: string, chatid: string, userid: string, now: number): Promise<CommentWait | undefined> {
    return this.side.commentWait(botKey, chatid, userid, now);
  }

  clearCommentWait(botKey: string, chatid: string, userid: string): Promise<void> {
    return this.side.clearCommentWait(botKey, chatid, userid);
  }

  /** Undefined when the client ids are taken: ON CONFLICT only swallows that constraint, not the short id's. */
  private insert(input: NewHilRequest, shortId: string, now: number): Promise<HilRequest | undefined> {
    return this.one(
      `INSERT INTO hil_requests (id, owner, platform, conversation_id, request_id, task_id, loop_type, status,
         context, metadata, bot_key, chattype, chatid, approvers, delivery, card_task_id, short_id,
         expires_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8::jsonb, $9::jsonb, $10, $11, $12, $13::jsonb, $14, $15, $16,
         ${at(17)}, ${at(18)}, ${at(18)})
       ON CONFLICT (owner, platform, conversation_id, request_id) DO NOTHING
       RETURNING ${REQUEST_COLUMNS}`,
      [
        randomUUID(),
        input.owner,
        input.platform,
        input.conversationId,
        input.requestId,
        input.taskId,
        input.loopType,
        JSON.stringify(input.context),
        JSON.stringify(input.metadata),
        input.target.botKey,
        input.target.chattype,
        input.target.chatid,
        JSON.stringify([...input.approvers]),
        input.delivery,
        input.cardTaskId,
        shortId,
        input.expiresAt,
        now,
      ],
    );
  }

  /**
   * The one statement every status change is: applied only while the status is one of `from`, so of
   * two concurrent answers the second finds the row closed. `set` numbers its parameters from $4.
   * Reopening a request whose short id an open one took meanwhile draws it a new short id.
   */
  private async transition(
    id: string,
    from: readonly HilStatus[],
    set: { readonly sql: string; readonly params: readonly unknown[] },
  ): Promise<HilRequest | undefined> {
    if (!UUID.test(id)) return undefined;
    const run = (shortId: string | null): Promise<HilRequest | undefined> =>
      this.one(
        `UPDATE hil_requests SET ${set.sql}, short_id = COALESCE($3::text, short_id)
          WHERE id = $1 AND status = ANY($2::text[]) RETURNING ${REQUEST_COLUMNS}`,
        [id, [...from], shortId, ...set.params],
      );
    try {
      return this.told(await run(null));
    } catch (err) {
      if (!isShortIdConflict(err)) throw err;
    }
    return this.told(await this.withFreshShortId(run));
  }

  private async withFreshShortId<T>(attempt: (shortId: string) => Promise<T>): Promise<T> {
    for (let tries = 1; ; tries++) {
      try {
        return await attempt(this.drawShortId());
      } catch (err) {
        if (!isShortIdConflict(err) || tries >= SHORT_ID_ATTEMPTS) throw err;
      }
    }
  }

  private async one(sql: string, params: readonly unknown[]): Promise<HilRequest | undefined> {
    const { rows } = await this.db.query<RequestRow>(sql, params);
    return rows[0] === undefined ? undefined : requestFromRow(rows[0]);
  }

  private async many(sql: string, params: readonly unknown[]): Promise<HilRequest[]> {
    const { rows } = await this.db.query<RequestRow>(sql, params);
    return rows.map(requestFromRow);
  }
}

function jsonOrNull(value: unknown): string | null {
  return value === null ? null : JSON.stringify(value);
}

/** pg's DatabaseError and PGlite's both carry the SQLSTATE in `code` and the index in `constraint`. */
function isShortIdConflict(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, constraint } = err as { code?: unknown; constraint?: unknown };
  return code === '23505' && constraint === SHORT_ID_INDEX;
}
