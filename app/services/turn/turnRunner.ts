import type { Logger } from 'pino';
import { errorFields } from '../../logger';
import type { AnswerStreamEnd } from '../channel';
import { DifyError } from '../dify/difyErrors';
import { fetchSuggestions } from '../dify/difyFollowUps';
import { ImageCollector } from '../media/outboundImages';
import { questionCard } from '../wecom/questionCard';
import { utf8Length } from '../wecom/utf8';
import { AnswerStream } from './answerStream';
import { type TurnOutcome, classifyRun } from './turnOutcome';
import { pausedFormOf } from './turnPause';
import { type TurnDeps, type TurnTask, type TurnWork, doTurnWork } from './turnWork';

/**
 * Runs a turn: attachments → conversation lookup → Dify stream → answer builder → snapshots, then the
 * answer's images, with the window and the overall limit enforced. It never rejects: every failure
 * becomes a finished stream with a notice.
 */
export class TurnRunner {
  private readonly active = new Set<Promise<void>>();
  /** Each running turn's one controller, aborted on shutdown (no signal of ours for each turn to chain to). */
  private readonly controllers = new Set<AbortController>();
  private shutdownReason: DifyError | undefined;

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
    this.shutdownReason = new DifyError({ kind: 'shutdown' });
    for (const controller of this.controllers) controller.abort(this.shutdownReason);
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
    let pause: ReturnType<typeof pausedFormOf>;
    const abort = new AbortController();
    if (this.shutdownReason !== undefined) abort.abort(this.shutdownReason);
    this.controllers.add(abort);
    try {
      work = await doTurnWork(this.deps, task, { stream, images }, abort);
      outcome = classifyRun(
        work.result.failure,
        work.result.builder.terminal,
        work.result.builder.answer,
        config.texts,
      );
      pause = pausedFormOf(task, work, this.deps.pausedForms, config.texts);
      if (pause !== undefined) outcome = pause.outcome;
    } catch (err) {
      log.error({ err: errorFields(err) }, 'turn crashed');
      outcome = { outcome: 'failed', notice: config.texts.ANSWER_FAILED, cause: 'internal_error' };
    } finally {
      clearTimeout(windowTimer);
      this.controllers.delete(abort);
    }
    const end = await this.conclude(task, { stream, images, log }, work, outcome);
    // After the answer so far went out: the form comes below it (and a callback chat's response_url is free).
    if (pause !== undefined)
      this.deps.pausedForms?.hand(pause.paused, (err) => log.error({ err: errorFields(err) }, 'paused form lost'));
    return end;
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
    const conversation = work?.conversation !== undefined ? { conversation: work.conversation } : {};
    await this.deps.messages
      .finished(task.streamId, { ...facts, ...dify, ...conversation, query: work?.query, answer: text })
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

  private renderOptions(): { showThinking: boolean; placeholder: string; truncatedNotice: string } {
    const { config } = this.deps;
    return {
      showThinking: config.stream.showThinking,
      placeholder: config.texts.THINKING,
      truncatedNotice: config.texts.TRUNCATED,
    };
  }
}
