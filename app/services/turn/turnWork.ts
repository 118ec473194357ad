import type { Logger } from 'pino';
import type { AgentConfig, Config } from '../../config';
import { errorFields } from '../../logger';
import type { GatewayMetrics } from '../../metrics';
import type { ConversationRow, ConversationStore } from '../../store/conversationStore';
import type { MessageLog } from '../../store/messageLog';
import type { TurnChannel } from '../channel';
import { DifyError } from '../dify/difyErrors';
import { type DifyRunDeps, type RunResult, runDify } from '../dify/difyRun';
import { hideImagesWhileStreaming } from '../media/answerImages';
import type { ImageCollector } from '../media/outboundImages';
import type { TurnQuery } from '../wecom/turnQuery';
import type { AnswerStream } from './answerStream';
import { type ChatParty, type ConversationScope, conversationScope } from './conversationScope';
import type { KeyedLock } from './keyedLock';
import type { PausedForms } from './pausedForms';
import { composeQuery } from './queryText';
import { NO_MEDIA, type PreparedMedia, type TurnMedia } from './turnMedia';

/** One user turn to run in the background after the first reply went out (ARCHITECTURE.md "One message", step 5). */
export interface TurnTask {
  readonly streamId: string;
  readonly msgid: string;
  /** The bot's key in WECOM_BOTS: `{{bot}}` in an agent's inputs. */
  readonly botKey: string;
  readonly party: ChatParty;
  readonly query: Extract<TurnQuery, { kind: 'ask' }>;
  /**
   * The bot's AES key, which also encrypts its media (wecom-aibot-protocol.md §10); undefined on the
   * long connection, where each medium carries its own `aeskey` (§12).
   */
  readonly mediaKey: Buffer | undefined;
  readonly agentId: string;
  readonly agent: AgentConfig;
  /** When the message arrived; WeCom's 6-minute window counts from here. */
  readonly receivedAt: number;
  readonly channel: TurnChannel;
  /** Asked from a card click: no stream, the answer goes to late delivery (see CardQuestions). */
  readonly streamless?: boolean;
}

export interface TurnDeps {
  readonly config: Config;
  readonly dify: DifyRunDeps;
  readonly media: TurnMedia;
  readonly conversations: ConversationStore;
  readonly messages: MessageLog;
  readonly locks: KeyedLock;
  readonly logger: Logger;
  readonly now: () => number;
  readonly metrics?: GatewayMetrics;
  /** Where a run that paused at a Human Input form goes (the people-in-the-loop wing), when anywhere. */
  readonly pausedForms?: PausedForms;
}

/** Where a run's events go: the user's stream, the answer's images, and the first-token time. */
export interface TurnSinks {
  readonly stream: AnswerStream;
  readonly images: ImageCollector;
  readonly firstToken: { ms: number | undefined };
}

export interface TurnWork {
  readonly result: RunResult;
  readonly media: PreparedMedia;
  readonly query: string;
  readonly firstTokenMs: number | undefined;
  readonly difyUser: string;
  /** A new conversation id the store left to the turn's final write (ConversationStore.learned). */
  readonly conversation: ConversationRow | undefined;
}

/**
 * Downloads first (the URLs expire), then waits its turn in the conversation, then uploads and runs.
 * `abort` is the turn's one controller: the deadline aborts it here, the runner's shutdown aborts it
 * there, and everything below takes its signal as it is; chained signals (AbortSignal.any) each cost
 * a controller, listener maps and weak references per open turn (issue #14 scope 3).
 */
export async function doTurnWork(
  deps: TurnDeps,
  task: TurnTask,
  sinks: Omit<TurnSinks, 'firstToken'>,
  abort: AbortController,
): Promise<TurnWork> {
  const { config, media } = deps;
  const scope = conversationScope(task.party, task.agentId, config.conversation.groupScope);
  const { attachments } = task.query;
  const downloads =
    attachments.length === 0
      ? []
      : await media.download(attachments, task.mediaKey, AbortSignal.timeout(config.media.downloadTimeoutMs * 2));
  return deps.locks.run(scope.key, async () => {
    const deadlineTimer = setTimeout(() => abort.abort(new DifyError({ kind: 'deadline' })), config.dify.turnTimeoutMs);
    const { signal } = abort;
    try {
      const prepared =
        downloads.length === 0
          ? NO_MEDIA
          : await media.upload(attachments, downloads, task.agent, scope.difyUser, signal);
      const query = composeQuery(task.query, prepared.outcomes, config.texts);
      const firstToken = { ms: undefined as number | undefined };
      const learned: { row?: ConversationRow } = {};
      const sinksOfRun = { ...sinks, firstToken, learned };
      const result = await runTurnDify(deps, task, { scope, query, media: prepared }, sinksOfRun, signal);
      return {
        result,
        media: prepared,
        query,
        firstTokenMs: firstToken.ms,
        difyUser: scope.difyUser,
        conversation: learned.row,
      };
    } finally {
      clearTimeout(deadlineTimer);
    }
  });
}

async function runTurnDify(
  deps: TurnDeps,
  task: TurnTask,
  ask: { scope: ConversationScope; query: string; media: PreparedMedia },
  sinks: TurnSinks & { readonly learned: { row?: ConversationRow } },
  signal: AbortSignal,
): Promise<RunResult> {
  const { conversations, logger, now } = deps;
  const { scope, query, media } = ask;
  const { stream, images, firstToken, learned } = sinks;
  const conversationId = await conversations.get(scope.key);
  const keep = (work: Promise<void>): void => {
    work.catch((err: unknown) =>
      logger.error({ err: errorFields(err), stream: task.streamId }, 'conversation store write failed'),
    );
  };
  const asker = { ...task.party, bot: task.botKey, msgid: task.msgid };
  const input = { query, files: media.files, user: scope.difyUser, conversationId, asker };
  return runDify(deps.dify, task.agent, input, signal, {
    onChange: (builder) => {
      firstToken.ms ??= now() - task.receivedAt;
      images.scan(builder.answer);
      stream.update({ answer: hideImagesWhileStreaming(builder.answer), thinking: builder.thinking });
    },
    onFile: (file) => {
      if (file.fileType === 'image') images.add(file.url);
    },
    onConversation: (id) => {
      if (id !== conversationId) learned.row = conversations.learned(scope, id);
    },
    onConversationReset: () => keep(conversations.delete(scope.key)),
  });
}
