import type { Logger } from 'pino';
import type { ConversationStore } from '../../store/conversationStore';
import type { MessageLog } from '../../store/messageLog';
import type { AgentConfig, Config } from '../../config';
import { errorFields } from '../../logger';
import type { GatewayMetrics } from '../../metrics';
import type { AnswerStreamEnd, TurnChannel } from '../channel';
import { AnswerStream } from './answerStream';
import { type ChatParty, type ConversationScope, conversationScope } from './conversationScope';
import { DifyError } from '../dify/difyErrors';
import { type DifyRunDeps, type RunResult, runDify } from '../dify/difyRun';
import type { KeyedLock } from './keyedLock';
import { hideImagesWhileStreaming } from '../media/answerImages';
import { ImageCollector } from '../media/outboundImages';
import type { TurnQuery } from '../wecom/turnQuery';
import { composeQuery } from './queryText';
import { NO_MEDIA, type PreparedMedia, type TurnMedia } from './turnMedia';
import { type TurnOutcome, classifyRun } from './turnOutcome';
import { utf8Length } from '../wecom/utf8';
import { fetchSuggestions } from '../dify/difyFollowUps';
import { questionCard } from '../wecom/questionCard';

/** One user turn to run in the background after the first reply went out (DESIGN.md step 5). */
export interface TurnTask {
  readonly streamId: string;
  readonly msgid: string;
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
  /** Asked from a card: no stream, the answer goes to response_url (see CardQuestions). */
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
}

/** Where a run's events go: the user's stream, the answer's images, and the first-token time. */
interface TurnSinks {
  readonly stream: AnswerStream;
  readonly images: ImageCollector;
  readonly firstToken: { ms: number | undefined };
}

interface TurnWork {
  readonly result: RunResult;
  readonly media: PreparedMedia;
  readonly query: string;
  readonly firstTokenMs: number | undefined;
  readonly difyUser: string;
}

/**
 * Runs a turn: attachments → conversation lookup → Dify stream → answer builder → snapshots, then the
 * answer's images, with the window and the overall limit enforced. It never rejects: every failure
 * becomes a finished stream with a notice.
 */
export class TurnRunner {
  private readonly active = new Set<Promise<void>>();
  private readonly shutdown = new AbortController();

  constructor(private readonly deps: TurnDeps) {}

  /** Runs the turn in the background and keeps track of it for a graceful shutdown; `onDone` when it ends. */
  start(task: TurnTask, onDone: (end: AnswerStreamEnd) => void = () => undefined): void {
    this.deps.metrics?.activeTurns.inc();
    const ended = this.execute(task).catch((err: unknown): AnswerStreamEnd => {
      this.deps.logger.error({ err: errorFields(err), stream: task.streamId }, 'turn crashed while concluding');
      return 'late-failed';
    });
    const running: Promise<void> = ended.then((end) => {
      this.active.delete(running);
      this.deps.metrics?.activeTurns.dec();
      onDone(end);
    });
    this.active.add(running);
  }

  get activeTurns(): number {
    return this.active.size;
  }

  /**
   * Lets running turns finish for up to `graceMs`, then cuts the rest short: their streams finish with
   * a notice instead of being dropped (issue #4 scope 4).
   */
  async drain(graceMs: number): Promise<void> {
    const all = (): Promise<unknown> => Promise.allSettled([...this.active]);
    await Promise.race([all(), new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    if (this.active.size === 0) return;
    this.shutdown.abort(new DifyError({ kind: 'shutdown' }));
    await Promise.race([all(), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
  }

  async run(task: TurnTask): Promise<void> {
    await this.execute(task);
  }

  /** Never rejects: a crash ends as a finished stream with a notice, like every other failure. */
  private async execute(task: TurnTask): Promise<AnswerStreamEnd> {
    const { config, logger, now } = this.deps;
    const log = logger.child({ stream: task.streamId, msgid: task.msgid, agent: task.agentId });
    const stream = new AnswerStream(
      task.channel,
      this.renderOptions(),
      config.texts,
      (err) => log.error({ err: errorFields(err) }, 'publishing a snapshot failed'),
      task.streamless === true,
    );
    const windowTimer = setTimeout(
      () => stream.closeWindow(),
      Math.max(0, task.receivedAt + config.stream.windowMs - now()),
    );
    const images = new ImageCollector(task.agent, config.media, config.texts.IMAGE_FAILED, log, now, (bytes) =>
      this.deps.metrics?.mediaBytes.inc({ direction: 'outbound' }, bytes),
    );
    let work: TurnWork | undefined;
    let outcome: TurnOutcome;
    try {
      work = await this.work(task, stream, images);
      outcome = classifyRun(
        work.result.failure,
        work.result.builder.terminal,
        work.result.builder.answer,
        config.texts,
      );
    } catch (err) {
      log.error({ err: errorFields(err) }, 'turn crashed');
      outcome = { outcome: 'failed', notice: config.texts.ANSWER_FAILED, cause: 'internal_error' };
    } finally {
      clearTimeout(windowTimer);
    }
    return this.conclude(task, { stream, images, log }, work, outcome);
  }

  /** The answer's images, the final snapshot (or late delivery), the turn's log line and message log row. */
  private async conclude(
    task: TurnTask,
    parts: { stream: AnswerStream; images: ImageCollector; log: Logger },
    work: TurnWork | undefined,
    ran: TurnOutcome,
  ): Promise<AnswerStreamEnd> {
    const { config, now } = this.deps;
    const { stream, images, log } = parts;
    const answer = work?.result.builder.answer ?? '';
    const delivered = await images.finish(answer).catch((err: unknown) => {
      log.error({ err: errorFields(err) }, 'answer images failed');
      return { text: answer, images: [], failed: 0 };
    });
    const outcome: TurnOutcome =
      ran.cause === 'empty_answer' && delivered.images.length > 0
        ? { outcome: 'answered', notice: undefined, cause: undefined }
        : ran;
    const text = delivered.text === '' && delivered.images.length > 0 ? config.texts.IMAGES_ONLY : delivered.text;
    const notices = [...(work?.media.notices ?? []), outcome.notice];
    if (stream.isWindowClosed && delivered.images.length > 0) notices.push(config.texts.IMAGES_NOT_DELIVERED);
    const notice = notices.filter((n): n is string => n !== undefined).join('\n') || undefined;
    const card =
      outcome.outcome === 'answered' && !stream.isWindowClosed ? await this.suggestionCard(task, work) : undefined;
    const delivery = await stream.finish(
      { answer: text, thinking: work?.result.builder.thinking ?? '' },
      notice,
      delivered.images,
      card,
    );
    const facts = {
      status: outcome.outcome,
      cause: outcome.cause,
      delivery,
      durationMs: now() - task.receivedAt,
      firstTokenMs: work?.firstTokenMs,
      answerBytes: utf8Length(text),
      images: delivered.images.length,
    };
    log[outcome.outcome === 'answered' ? 'info' : 'warn'](
      { ...facts, mode: work?.result.mode, imagesFailed: delivered.failed },
      'turn finished',
    );
    this.count(facts.status, outcome.cause, facts.durationMs);
    const dify = { difyMessageId: work?.result.builder.ids.messageId, difyUser: work?.difyUser };
    await this.deps.messages
      .finished(task.streamId, { ...facts, ...dify, query: work?.query, answer: text })
      .catch((err: unknown) => log.error({ err: errorFields(err) }, 'message log write failed'));
    return delivery;
  }

  private count(status: string, cause: string | undefined, durationMs: number): void {
    const { metrics } = this.deps;
    if (metrics === undefined) return;
    metrics.turns.inc({ outcome: status });
    metrics.turnSeconds.observe(durationMs / 1000);
    if (cause !== undefined) metrics.difyErrors.inc({ cause });
  }

  /** Dify's follow-up questions as a card of buttons that ask them (issue #6 scope 3), when the agent wants it. */
  private async suggestionCard(task: TurnTask, work: TurnWork | undefined): Promise<object | undefined> {
    const messageId = work?.result.builder.ids.messageId;
    if (!task.agent.suggestions || messageId === undefined || work === undefined) return undefined;
    const questions = await fetchSuggestions(this.deps.dify.axios, task.agent, messageId, work.difyUser);
    try {
      return questionCard(this.deps.config.texts.SUGGESTIONS_TITLE, questions, 'sug');
    } catch {
      return undefined;
    }
  }

  /** Downloads first (the URLs expire), then waits its turn in the conversation, then uploads and runs. */
  private async work(task: TurnTask, stream: AnswerStream, images: ImageCollector): Promise<TurnWork> {
    const { config, media } = this.deps;
    const scope = conversationScope(task.party, task.agentId, config.conversation.groupScope);
    const downloads = await media.download(
      task.query.attachments,
      task.mediaKey,
      AbortSignal.timeout(config.media.downloadTimeoutMs * 2),
    );
    return this.deps.locks.run(scope.key, async () => {
      const deadline = new AbortController();
      const deadlineTimer = setTimeout(
        () => deadline.abort(new DifyError({ kind: 'deadline' })),
        config.dify.turnTimeoutMs,
      );
      const signal = AbortSignal.any([deadline.signal, this.shutdown.signal]);
      try {
        const prepared =
          downloads.length === 0
            ? NO_MEDIA
            : await media.upload(task.query.attachments, downloads, task.agent, scope.difyUser, signal);
        const query = composeQuery(task.query, prepared.outcomes, config.texts);
        const firstToken = { ms: undefined as number | undefined };
        const result = await this.runDify(task, scope, query, prepared, { stream, images, firstToken }, signal);
        return { result, media: prepared, query, firstTokenMs: firstToken.ms, difyUser: scope.difyUser };
      } finally {
        clearTimeout(deadlineTimer);
      }
    });
  }

  private async runDify(
    task: TurnTask,
    scope: ConversationScope,
    query: string,
    media: PreparedMedia,
    sinks: TurnSinks,
    signal: AbortSignal,
  ): Promise<RunResult> {
    const { conversations, logger, now } = this.deps;
    const { stream, images, firstToken } = sinks;
    const conversationId = await conversations.get(scope.key);
    const keep = (work: Promise<void>): void => {
      work.catch((err: unknown) =>
        logger.error({ err: errorFields(err), stream: task.streamId }, 'conversation store write failed'),
      );
    };
    return runDify(
      this.deps.dify,
      task.agent,
      { query, files: media.files, user: scope.difyUser, conversationId },
      signal,
      {
        onChange: (builder) => {
          firstToken.ms ??= now() - task.receivedAt;
          images.scan(builder.answer);
          stream.update({ answer: hideImagesWhileStreaming(builder.answer), thinking: builder.thinking });
        },
        onFile: (file) => {
          if (file.fileType === 'image') images.add(file.url);
        },
        onConversation: (id) => {
          if (id !== conversationId) keep(conversations.set(scope, id));
        },
        onConversationReset: () => keep(conversations.delete(scope.key)),
      },
    );
  }

  private renderOptions(): { showThinking: boolean; placeholder: string; truncatedNotice: string } {
    const { config } = this.deps;
    return {
      showThinking: config.stream.showThinking,
      placeholder: config.texts.THINKING,
      truncatedNotice: config.texts.TRUNCATED,
    };
  }
}
