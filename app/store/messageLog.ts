import type { ConversationRow } from './conversationStore';

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
  /** Dify's id of the answer and the `user` it was given to: what feedback needs. */
  readonly difyMessageId: string | undefined;
  readonly difyUser: string | undefined;
  /**
   * A conversation id the turn learned and the store left to this write (ConversationStore.learned):
   * written in the same statement as the row, so a turn's end costs no statement of its own.
   */
  readonly conversation?: ConversationRow;
}

/** What forwarding a WeCom feedback to Dify needs about the answer it rates. */
export interface RatedAnswer {
  readonly agentId: string;
  readonly difyMessageId: string;
  readonly difyUser: string;
}

export interface MessageLog {
  received(message: ReceivedMessage): Promise<void>;
  finished(streamId: string, outcome: FinishedMessage): Promise<void>;
  /** Writes what is queued (shutdown, tests). */
  flush(): Promise<void>;
  /** The answer a feedback id (our stream id) refers to, once its turn has finished. */
  ratedAnswer(streamId: string): Promise<RatedAnswer | undefined>;
}
