import type { Queryable } from '../../app/store/database';

/**
 * The store work of one first message on main before issue 14, statement by statement (read from
 * the server's statement log while the demo answered a message): the msgid claim with its stream,
 * the conversation lookup, the message-log row, the conversation write, the finishing snapshot and
 * the message-log update. The store comparison runs it on each candidate; `n` keeps keys unique.
 */
export async function firstMessageSql(db: Queryable, n: string): Promise<void> {
  const stream = `s_${n}`;
  await db.query(
    `WITH claim AS (INSERT INTO msgid_claims (key, stream_id) VALUES ($2, $1) ON CONFLICT (key) DO NOTHING RETURNING stream_id)
     INSERT INTO streams (id, msgid, bot_key, aibotid, userid, chatid, chattype, response_url, received_at, content, owner_instance)
     SELECT $1, $3, 'bench', 'aib-bench', $4, NULL, 'single', NULL, now(), '正在思考中...', 'i_bench' FROM claim`,
    [stream, `bench:m_${n}`, `m_${n}`, `u_${n}`],
  );
  await db.query('SELECT conversation_id FROM conversations WHERE key = $1', [`single:u_${n}`]);
  await db.query(
    `INSERT INTO messages (stream_id, msgid, bot_key, aibotid, userid, chatid, chattype, msgtype, agent_id, received_at, status, cause)
     VALUES ($1, $2, 'bench', 'aib-bench', $3, NULL, 'single', 'text', 'default', now(), 'running', NULL) ON CONFLICT (stream_id) DO NOTHING`,
    [stream, `m_${n}`, `u_${n}`],
  );
  await db.query(
    `INSERT INTO conversations (key, agent_id, dify_user, conversation_id, updated_at) VALUES ($1, 'default', $2, $3, now())
     ON CONFLICT (key) DO UPDATE SET conversation_id = EXCLUDED.conversation_id, updated_at = now()`,
    [`single:u_${n}`, `u_${n}`, `c_${n}`],
  );
  const answer = 'x'.repeat(1024);
  await db.query(
    'UPDATE streams SET content = $2, finish = true, image_count = 0, heartbeat_at = now(), updated_at = now() WHERE id = $1 AND NOT finish',
    [stream, answer],
  );
  await db.query(
    `UPDATE messages SET status = 'answered', answer = $2, answer_bytes = 1024, images = 0, first_token_ms = 3,
            duration_ms = 9, finished_at = now() WHERE stream_id = $1`,
    [stream, answer],
  );
}
