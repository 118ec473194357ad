import type { Queryable } from '../../store/database';
import type { CommentWait, HilReply, JsonObject } from './hilRequests';
import {
  COMMENT_WAIT_COLUMNS,
  REPLY_COLUMNS,
  commentWaitFromRow,
  replyFromRow,
  type CommentWaitRow,
  type ReplyRow,
} from './hilRows';

const at = (n: number): string => `to_timestamp($${n}::double precision / 1000)`;

/**
 * The tables beside hil_requests (schema v4): the replies a person gave (once per msgid), the comment
 * awaited after 填写意见, and GoHumanLoop's tasks/sync documents. SqlHilRequests delegates to it.
 */
export class SqlHilChatState {
  constructor(private readonly db: Queryable) {}

  async addReply(reply: HilReply): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `INSERT INTO hil_replies (request_id, msgid, userid, text, at) VALUES ($1, $2, $3, $4, ${at(5)})
       ON CONFLICT (request_id, msgid) DO NOTHING`,
      [reply.requestId, reply.msgid, reply.userid, reply.text, reply.at],
    );
    return rowCount === 1;
  }

  async replies(requestId: string): Promise<HilReply[]> {
    const { rows } = await this.db.query<ReplyRow>(
      `SELECT ${REPLY_COLUMNS} FROM hil_replies WHERE request_id = $1 ORDER BY at, msgid`,
      [requestId],
    );
    return rows.map(replyFromRow);
  }

  async saveTaskSync(owner: string, taskId: string, document: JsonObject, now: number): Promise<void> {
    await this.db.query(
      `INSERT INTO hil_task_syncs (owner, task_id, document, updated_at) VALUES ($1, $2, $3::jsonb, ${at(4)})
       ON CONFLICT (owner, task_id) DO UPDATE SET document = EXCLUDED.document, updated_at = EXCLUDED.updated_at`,
      [owner, taskId, JSON.stringify(document), now],
    );
  }

  async setCommentWait(wait: CommentWait): Promise<void> {
    await this.db.query(
      `INSERT INTO hil_comment_waits (bot_key, chatid, userid, request_id, draft, wait_until)
       VALUES ($1, $2, $3, $4, $5, ${at(6)})
       ON CONFLICT (bot_key, chatid, userid) DO UPDATE
         SET request_id = EXCLUDED.request_id, draft = EXCLUDED.draft, wait_until = EXCLUDED.wait_until`,
      [wait.botKey, wait.chatid, wait.userid, wait.requestId, wait.draft, wait.until],
    );
  }

  async commentWait(botKey: string, chatid: string, userid: string, now: number): Promise<CommentWait | undefined> {
    const { rows } = await this.db.query<CommentWaitRow>(
      `SELECT ${COMMENT_WAIT_COLUMNS} FROM hil_comment_waits
        WHERE bot_key = $1 AND chatid = $2 AND userid = $3 AND wait_until > ${at(4)}`,
      [botKey, chatid, userid, now],
    );
    return rows[0] === undefined ? undefined : commentWaitFromRow(rows[0]);
  }

  async clearCommentWait(botKey: string, chatid: string, userid: string): Promise<void> {
    await this.db.query('DELETE FROM hil_comment_waits WHERE bot_key = $1 AND chatid = $2 AND userid = $3', [
      botKey,
      chatid,
      userid,
    ]);
  }
}
