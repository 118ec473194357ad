import { BatchWriter, valuesList } from './batchWriter';
import type { Queryable } from './database';
import type { ConversationRow } from './conversationStore';
import type { FinishedMessage, MessageLog, RatedAnswer, ReceivedMessage } from './messageLog';

const RECEIVED_CASTS = ['::text', '', '', '', '', '', '', '', '', '::double precision', '', ''];
const FINISHED_CASTS = [
  '::text',
  '::text',
  '::text',
  '::text',
  '::text',
  '::integer',
  '::integer',
  '::text',
  '::integer',
  '::integer',
  '::text',
  '::text',
  '::text',
  '::text',
  '::text',
  '::text',
];

/** The `messages` table: one row per accepted message, completed when its turn ends; written in batches. */
export class SqlMessageLog implements MessageLog {
  private readonly receivedRows: BatchWriter<ReceivedMessage>;
  private readonly finishedRows: BatchWriter<[string, FinishedMessage]>;

  constructor(
    private readonly db: Queryable,
    onError: (err: unknown) => void,
  ) {
    this.receivedRows = new BatchWriter((rows) => insertReceived(db, rows), onError);
    this.finishedRows = new BatchWriter((rows) => updateFinished(db, rows), onError);
  }

  received(message: ReceivedMessage): Promise<void> {
    this.receivedRows.add(message);
    return Promise.resolve();
  }

  finished(streamId: string, outcome: FinishedMessage): Promise<void> {
    this.finishedRows.add([streamId, outcome]);
    return Promise.resolve();
  }

  async flush(): Promise<void> {
    await this.receivedRows.flush();
    await this.finishedRows.flush();
  }

  async ratedAnswer(streamId: string): Promise<RatedAnswer | undefined> {
    const { rows } = await this.db.query<{
      agent_id: string | null;
      dify_message_id: string | null;
      dify_user: string | null;
    }>('SELECT agent_id, dify_message_id, dify_user FROM messages WHERE stream_id = $1', [streamId]);
    const row = rows[0];
    if (row?.agent_id == null || row.dify_message_id == null || row.dify_user == null) return undefined;
    return { agentId: row.agent_id, difyMessageId: row.dify_message_id, difyUser: row.dify_user };
  }
}

async function insertReceived(db: Queryable, rows: ReceivedMessage[]): Promise<void> {
  const params = rows.flatMap((m) => [
    m.streamId,
    m.msgid,
    m.botKey,
    m.aibotid,
    m.userid,
    m.chatid ?? null,
    m.chattype,
    m.msgtype,
    m.agentId ?? null,
    m.receivedAt,
    m.status,
    m.cause ?? null,
  ]);
  await db.query(
    `INSERT INTO messages (stream_id, msgid, bot_key, aibotid, userid, chatid, chattype, msgtype, agent_id, received_at, status, cause)
     SELECT v.stream_id, v.msgid, v.bot_key, v.aibotid, v.userid, v.chatid, v.chattype, v.msgtype, v.agent_id, to_timestamp(v.received_ms / 1000), v.status, v.cause
       FROM (VALUES ${valuesList(rows.length, RECEIVED_CASTS)})
         AS v (stream_id, msgid, bot_key, aibotid, userid, chatid, chattype, msgtype, agent_id, received_ms, status, cause)
     ON CONFLICT (stream_id) DO NOTHING`,
    params,
  );
}

/** Only a chat's newest id of a batch is written: one statement may not upsert a key twice. */
function newestConversations(rows: Array<[string, FinishedMessage]>): Array<ConversationRow | undefined> {
  const last = new Map<string, number>();
  rows.forEach(([, f], i) => {
    if (f.conversation !== undefined) last.set(f.conversation.key, i);
  });
  return rows.map(([, f], i) =>
    f.conversation !== undefined && last.get(f.conversation.key) === i ? f.conversation : undefined,
  );
}

/** The finished rows and the conversation ids they carry, in one statement (one round trip per batch). */
async function updateFinished(db: Queryable, rows: Array<[string, FinishedMessage]>): Promise<void> {
  const conversations = newestConversations(rows);
  const params = rows.flatMap(([id, f], i) => [
    id,
    f.status,
    f.cause ?? null,
    f.query ?? null,
    f.answer,
    f.answerBytes,
    f.images,
    f.delivery,
    f.firstTokenMs ?? null,
    f.durationMs,
    f.difyMessageId ?? null,
    f.difyUser ?? null,
    conversations[i]?.key ?? null,
    conversations[i]?.agentId ?? null,
    conversations[i]?.difyUser ?? null,
    conversations[i]?.conversationId ?? null,
  ]);
  // A data-modifying WITH runs whether or not the UPDATE refers to it.
  await db.query(
    `WITH v (stream_id, status, cause, query, answer, answer_bytes, images, delivery, first_token_ms, duration_ms, dify_message_id, dify_user,
             conv_key, conv_agent, conv_user, conv_id) AS (VALUES ${valuesList(rows.length, FINISHED_CASTS)}),
     saved AS (
       INSERT INTO conversations (key, agent_id, dify_user, conversation_id, updated_at)
       SELECT conv_key, conv_agent, conv_user, conv_id, now() FROM v WHERE conv_key IS NOT NULL
       ON CONFLICT (key) DO UPDATE SET conversation_id = EXCLUDED.conversation_id, updated_at = now())
     UPDATE messages AS m SET status = v.status, cause = v.cause, query = v.query, answer = v.answer, answer_bytes = v.answer_bytes,
            images = v.images, delivery = v.delivery, first_token_ms = v.first_token_ms, duration_ms = v.duration_ms, finished_at = now(),
            dify_message_id = v.dify_message_id, dify_user = v.dify_user
       FROM v
      WHERE m.stream_id = v.stream_id`,
    params,
  );
}
