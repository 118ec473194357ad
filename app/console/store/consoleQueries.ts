import type { Queryable } from '../../store/database';

/** One row of the message log as the console lists it (timestamps as ms since epoch). */
export interface LoggedMessage {
  readonly streamId: string;
  readonly receivedAt: number;
  readonly botKey: string;
  readonly userid: string;
  readonly chatid: string | null;
  readonly chattype: string;
  readonly msgtype: string;
  readonly agentId: string | null;
  readonly status: string;
  readonly cause: string | null;
  readonly durationMs: number | null;
  readonly firstTokenMs: number | null;
  readonly images: number | null;
  /** Only read when the operator configured CONSOLE_SHOW_MESSAGE_TEXT=true; null otherwise. */
  readonly query: string | null;
  readonly answer: string | null;
}

export interface MessageSearch {
  readonly userid?: string;
  readonly chatid?: string;
  readonly status?: string;
  readonly withText: boolean;
  readonly limit: number;
}

export interface MinuteCount {
  /** The minute's start, ms since epoch. */
  readonly minute: number;
  readonly turns: number;
  readonly failures: number;
}

export interface AgentError {
  readonly agentId: string;
  readonly cause: string;
  readonly at: number;
}

interface MessageRow {
  stream_id: string;
  received_ms: number;
  bot_key: string;
  userid: string;
  chatid: string | null;
  chattype: string;
  msgtype: string;
  agent_id: string | null;
  status: string;
  cause: string | null;
  duration_ms: number | null;
  first_token_ms: number | null;
  images: number | null;
  query: string | null;
  answer: string | null;
}

/**
 * The console's reads of the `messages` table (schema v1). Read-only; each is one statement on the
 * received_at index, newest first. The text columns are not even selected unless asked for.
 */
export class ConsoleQueries {
  constructor(private readonly db: Queryable) {}

  async messages(search: MessageSearch): Promise<LoggedMessage[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (value: string | undefined, column: string): void => {
      if (value === undefined) return;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    };
    add(search.userid, 'userid');
    add(search.chatid, 'chatid');
    add(search.status, 'status');
    params.push(search.limit);
    const text = search.withText ? 'query, answer' : 'NULL::text AS query, NULL::text AS answer';
    const { rows } = await this.db.query<MessageRow>(
      `SELECT stream_id, (extract(epoch from received_at) * 1000)::float8 AS received_ms, bot_key, userid, chatid,
         chattype, msgtype, agent_id, status, cause, duration_ms, first_token_ms, images, ${text}
       FROM messages ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
       ORDER BY received_at DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(messageFromRow);
  }

  /** Turns and failed turns per minute since `since` (one GROUP BY on the received_at index). */
  async perMinute(since: number): Promise<MinuteCount[]> {
    const { rows } = await this.db.query<{ minute_ms: number; turns: number; failures: number }>(
      `SELECT (extract(epoch from date_trunc('minute', received_at)) * 1000)::float8 AS minute_ms,
         count(*)::int AS turns, (count(*) FILTER (WHERE status = 'failed'))::int AS failures
       FROM messages WHERE received_at >= to_timestamp($1::double precision / 1000)
       GROUP BY 1 ORDER BY 1`,
      [since],
    );
    return rows.map((r) => ({ minute: r.minute_ms, turns: r.turns, failures: r.failures }));
  }

  /** Each agent's newest failed or partial turn since `since`: its cause (never the text). */
  async lastErrors(since: number): Promise<AgentError[]> {
    const { rows } = await this.db.query<{ agent_id: string; cause: string | null; at_ms: number }>(
      `SELECT DISTINCT ON (agent_id) agent_id, cause, (extract(epoch from received_at) * 1000)::float8 AS at_ms
       FROM messages
       WHERE received_at >= to_timestamp($1::double precision / 1000) AND agent_id IS NOT NULL
         AND status IN ('failed', 'partial')
       ORDER BY agent_id, received_at DESC`,
      [since],
    );
    return rows.map((r) => ({ agentId: r.agent_id, cause: r.cause ?? 'unknown', at: r.at_ms }));
  }
}

function messageFromRow(r: MessageRow): LoggedMessage {
  return {
    streamId: r.stream_id,
    receivedAt: r.received_ms,
    botKey: r.bot_key,
    userid: r.userid,
    chatid: r.chatid,
    chattype: r.chattype,
    msgtype: r.msgtype,
    agentId: r.agent_id,
    status: r.status,
    cause: r.cause,
    durationMs: r.duration_ms,
    firstTokenMs: r.first_token_ms,
    images: r.images,
    query: r.query,
    answer: r.answer,
  };
}
