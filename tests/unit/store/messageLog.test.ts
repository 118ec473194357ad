import type { FinishedMessage, MessageLog } from '../../../app/store/messageLog';
import { SqlMessageLog } from '../../../app/store/sqlMessageLog';
import type { Database } from '../../../app/store/database';
import { migrate } from '../../../app/store/migrations';
import { MIGRATIONS } from '../../../app/store/schema';
import { forEachDatabase } from '../../helpers/databases';
import { receivedMessage } from './storeTestKit';

function finished(overrides: Partial<FinishedMessage> = {}): FinishedMessage {
  return {
    status: 'answered',
    cause: undefined,
    query: 'What is the weather?',
    answer: 'Sunny, 24°C.',
    answerBytes: 15,
    images: 2,
    delivery: 'stream',
    firstTokenMs: 850,
    durationMs: 4200,
    difyMessageId: 'dify-msg-1',
    difyUser: 'wecom:aib:zhangsan',
    ...overrides,
  };
}

/** Every column of `messages`, timestamps as ms since epoch. */
const SELECT_ROW = `SELECT stream_id, msgid, bot_key, aibotid, userid, chatid, chattype, msgtype, agent_id, query,
       (extract(epoch from received_at) * 1000)::float8 AS received_ms, first_token_ms,
       (extract(epoch from finished_at) * 1000)::float8 AS finished_ms, duration_ms, status, cause, answer, answer_bytes, images, delivery
  FROM messages WHERE stream_id = $1`;

/** The log writes in batches; these tests read the table right after each call, so each call flushes. */
function logOf(db: Database): MessageLog {
  const log = new SqlMessageLog(db, (err) => {
    throw err;
  });
  return {
    received: async (m) => {
      await log.received(m);
      await log.flush();
    },
    finished: async (id, f) => {
      await log.finished(id, f);
      await log.flush();
    },
    flush: () => log.flush(),
    ratedAnswer: (id) => log.ratedAnswer(id),
  };
}

forEachDatabase('SqlMessageLog', (getDb) => {
  beforeAll(async () => {
    await migrate(getDb(), MIGRATIONS);
  });

  async function row(streamId: string): Promise<Record<string, unknown> | undefined> {
    const { rows } = await getDb().query(SELECT_ROW, [streamId]);
    return rows[0];
  }

  it('stores a received message with every field and leaves the outcome empty', async () => {
    const log = logOf(getDb());
    await log.received(
      receivedMessage({
        streamId: 'recv-1',
        msgid: 'msg-recv-1',
        chatid: 'chat-9',
        chattype: 'group',
        msgtype: 'image',
      }),
    );
    expect(await row('recv-1')).toEqual({
      stream_id: 'recv-1',
      msgid: 'msg-recv-1',
      bot_key: 'bot-a',
      aibotid: 'aibot-1',
      userid: 'alice',
      chatid: 'chat-9',
      chattype: 'group',
      msgtype: 'image',
      agent_id: 'agent-1',
      query: null,
      received_ms: 1_718_000_000_123,
      first_token_ms: null,
      finished_ms: null,
      duration_ms: null,
      status: 'running',
      cause: null,
      answer: null,
      answer_bytes: null,
      images: null,
      delivery: null,
    });
  });

  it('stores absent chatid, agent and cause as NULL, and a notice with its cause', async () => {
    const log = logOf(getDb());
    await log.received(
      receivedMessage({ streamId: 'notice-1', agentId: undefined, status: 'notice', cause: 'no_agent' }),
    );
    expect(await row('notice-1')).toMatchObject({ chatid: null, agent_id: null, status: 'notice', cause: 'no_agent' });
  });

  it('completes the row when the turn finishes', async () => {
    const log = logOf(getDb());
    await log.received(receivedMessage({ streamId: 'done-1' }));
    const before = Date.now();
    await log.finished('done-1', finished());
    const stored = await row('done-1');
    expect(stored).toMatchObject({
      stream_id: 'done-1',
      msgid: 'msg-1',
      received_ms: 1_718_000_000_123,
      status: 'answered',
      cause: null,
      query: 'What is the weather?',
      answer: 'Sunny, 24°C.',
      answer_bytes: 15,
      images: 2,
      delivery: 'stream',
      first_token_ms: 850,
      duration_ms: 4200,
    });
    // finished_at is the database's now(): allow for clock skew with a PostgreSQL server.
    expect(Math.abs(Number(stored?.['finished_ms']) - before)).toBeLessThan(60_000);
  });

  it('stores a failed turn with its cause and without a first token', async () => {
    const log = logOf(getDb());
    await log.received(receivedMessage({ streamId: 'failed-1' }));
    await log.finished(
      'failed-1',
      finished({
        status: 'failed',
        cause: 'dify_timeout',
        query: undefined,
        answer: '',
        answerBytes: 0,
        images: 0,
        firstTokenMs: undefined,
      }),
    );
    expect(await row('failed-1')).toMatchObject({
      status: 'failed',
      cause: 'dify_timeout',
      query: null,
      answer: '',
      answer_bytes: 0,
      images: 0,
      first_token_ms: null,
    });
  });

  it('keeps the first row when the same stream id is received twice, without throwing', async () => {
    const log = logOf(getDb());
    await log.received(receivedMessage({ streamId: 'twice-1', msgid: 'first' }));
    await expect(
      log.received(receivedMessage({ streamId: 'twice-1', msgid: 'second', status: 'notice', cause: 'duplicate' })),
    ).resolves.toBeUndefined();
    expect(await row('twice-1')).toMatchObject({ msgid: 'first', status: 'running', cause: null });
    const { rows } = await getDb().query<{ n: number }>(
      'SELECT count(*)::int AS n FROM messages WHERE stream_id = $1',
      ['twice-1'],
    );
    expect(rows[0]?.n).toBe(1);
  });

  it('ignores a finish for a stream id it never received', async () => {
    const log = logOf(getDb());
    await expect(log.finished('never-received', finished())).resolves.toBeUndefined();
    expect(await row('never-received')).toBeUndefined();
  });
});

forEachDatabase('SqlMessageLog.ratedAnswer (feedback)', (getDb) => {
  beforeAll(async () => {
    await migrate(getDb(), MIGRATIONS);
  });

  it('finds the Dify message and user of a finished turn, and nothing for unknown or unfinished ones', async () => {
    const log = logOf(getDb());
    await log.received(receivedMessage({ streamId: 'rated-1', agentId: 'agent-1' }));
    expect(await log.ratedAnswer('rated-1')).toBeUndefined();
    await log.finished('rated-1', finished({ difyMessageId: 'm-42', difyUser: 'wecom:aib:lisi' }));
    expect(await log.ratedAnswer('rated-1')).toEqual({
      agentId: 'agent-1',
      difyMessageId: 'm-42',
      difyUser: 'wecom:aib:lisi',
    });
    expect(await log.ratedAnswer('nope')).toBeUndefined();
  });
  it('writes the conversation id a turn carries in the same statement, only the newest of a chat', async () => {
    const db = getDb();
    const log = new SqlMessageLog(db, (err) => {
      throw err;
    });
    const scope = { key: 'agent-9|wecom:aib:fold', agentId: 'agent-9', difyUser: 'wecom:aib:fold' };
    const statements: string[] = [];
    const counting = {
      ...db,
      query: ((sql: string, params?: readonly unknown[]) => {
        statements.push(sql);
        return db.query(sql, params);
      }) as Database['query'],
    };
    const folded = new SqlMessageLog(counting, (err) => {
      throw err;
    });
    await log.received(receivedMessage({ streamId: 'fold-1', msgid: 'fold-1' }));
    await log.flush();
    await folded.finished('fold-1', finished({ conversation: { ...scope, conversationId: 'conv-old' } }));
    await folded.finished('fold-2', finished({ conversation: { ...scope, conversationId: 'conv-new' } }));
    await folded.finished('fold-3', finished());
    await folded.flush();
    expect(statements).toHaveLength(1);
    const { rows } = await db.query<{ conversation_id: string; agent_id: string }>(
      'SELECT conversation_id, agent_id FROM conversations WHERE key = $1',
      [scope.key],
    );
    expect(rows).toEqual([{ conversation_id: 'conv-new', agent_id: 'agent-9' }]);
    const logged = await db.query<{ status: string }>('SELECT status FROM messages WHERE stream_id = $1', ['fold-1']);
    expect(logged.rows).toEqual([{ status: 'answered' }]);
  });
});
