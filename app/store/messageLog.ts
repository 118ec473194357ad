import type { Queryable } from './database';

/** One inbound message as it arrived (issue #4: "every inbound message and final answer"). */
export interface ReceivedMessage {
  readonly streamId: string;
  readonly msgid: string;
  readonly botKey: string;
  readonly aibotid: string;
  readonly userid: string;
  readonly chatid: string | undefined;
  readonly chattype: string;
  readonly msgtype: string;
  readonly agentId: string | undefined;
  readonly receivedAt: number;
  /** `running` while a turn works on it; `notice` when it was answered at once. */
  readonly status: 'running' | 'notice';
  readonly cause: string | undefined;
}

/** How the turn ended. */
export interface FinishedMessage {
  readonly status: 'answered' | 'partial' | 'failed';
  readonly cause: string | undefined;
  readonly query: string | undefined;
  readonly answer: string;
  readonly answerBytes: number;
  readonly images: number;
  readonly delivery: string;
  readonly firstTokenMs: number | undefined;
  readonly durationMs: number;
}

export interface MessageLog {
  received(message: ReceivedMessage): Promise<void>;
  finished(streamId: string, outcome: FinishedMessage): Promise<void>;
}

/** The `messages` table: one row per accepted message, completed when its turn ends. */
export class SqlMessageLog implements MessageLog {
  constructor(private readonly db: Queryable) {}

  async received(m: ReceivedMessage): Promise<void> {
    await this.db.query(
      `INSERT INTO messages (stream_id, msgid, bot_key, aibotid, userid, chatid, chattype, msgtype, agent_id, received_at, status, cause)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, to_timestamp($10::double precision / 1000), $11, $12)
       ON CONFLICT (stream_id) DO NOTHING`,
      [m.streamId, m.msgid, m.botKey, m.aibotid, m.userid, m.chatid ?? null, m.chattype, m.msgtype, m.agentId ?? null, m.receivedAt, m.status, m.cause ?? null],
    );
  }

  async finished(streamId: string, f: FinishedMessage): Promise<void> {
    await this.db.query(
      `UPDATE messages SET status = $2, cause = $3, query = $4, answer = $5, answer_bytes = $6, images = $7, delivery = $8,
              first_token_ms = $9, duration_ms = $10, finished_at = now()
        WHERE stream_id = $1`,
      [streamId, f.status, f.cause ?? null, f.query ?? null, f.answer, f.answerBytes, f.images, f.delivery, f.firstTokenMs ?? null, f.durationMs],
    );
  }
}

/** For unit tests of services that do not care about the log. */
export const NO_MESSAGE_LOG: MessageLog = {
  received: () => Promise.resolve(),
  finished: () => Promise.resolve(),
};
