import type { Logger } from 'pino';
import type { ConversationStore } from '../cache/conversationStore';
import { errorFields } from '../logger';
import type { AgentConfig, Config } from '../config';
import { AnswerStream, type TurnChannel } from './answerStream';
import { type ChatParty, type ConversationScope, conversationScope } from './conversationScope';
import { DifyError } from './dify/difyErrors';
import { type DifyRunDeps, type RunResult, runDify } from './dify/difyRun';
import type { KeyedLock } from './keyedLock';
import { type TurnOutcome, classifyRun } from './turnOutcome';
import { utf8Length } from './wecom/utf8';

/** One user turn to run in the background after the first reply went out (DESIGN.md step 5). */
export interface TurnTask {
  readonly streamId: string;
  readonly msgid: string;
  readonly party: ChatParty;
  readonly query: string;
  readonly agentId: string;
  readonly agent: AgentConfig;
  /** When the message arrived; WeCom's 6-minute window counts from here. */
  readonly receivedAt: number;
  readonly channel: TurnChannel;
}

export interface TurnDeps {
  readonly config: Config;
  readonly dify: DifyRunDeps;
  readonly conversations: ConversationStore;
  readonly locks: KeyedLock;
  readonly logger: Logger;
  readonly now: () => number;
}

/**
 * Runs a turn: conversation lookup → Dify stream → answer builder → snapshots, with the window and the
 * overall limit enforced. It never rejects: every failure becomes a finished stream with a notice.
 */
export class TurnRunner {
  constructor(private readonly deps: TurnDeps) {}

  async run(task: TurnTask): Promise<void> {
    const { config, logger, now } = this.deps;
    const log = logger.child({ stream: task.streamId, msgid: task.msgid, agent: task.agentId });
    const stream = new AnswerStream(task.channel, this.renderOptions(), config.texts, (err) => log.error({ err: errorFields(err) }, 'publishing a snapshot failed'));
    const windowTimer = setTimeout(() => stream.closeWindow(), Math.max(0, task.receivedAt + config.stream.windowMs - now()));
    const scope = conversationScope(task.party, task.agentId, config.conversation.groupScope);
    let result: RunResult | undefined;
    let outcome: TurnOutcome;
    try {
      result = await this.deps.locks.run(scope.key, () => this.runDify(task, scope, stream));
      outcome = classifyRun(result.failure, result.builder.terminal, result.builder.answer, config.texts);
    } catch (err) {
      log.error({ err: errorFields(err) }, 'turn crashed');
      outcome = { outcome: 'failed', notice: config.texts.ANSWER_FAILED, cause: 'internal_error' };
    } finally {
      clearTimeout(windowTimer);
    }
    const answer = result?.builder.answer ?? '';
    const end = await stream.finish({ answer, thinking: result?.builder.thinking ?? '' }, outcome.notice);
    const level = outcome.outcome === 'answered' ? 'info' : 'warn';
    log[level](
      { mode: result?.mode, outcome: outcome.outcome, cause: outcome.cause, delivery: end, ms: now() - task.receivedAt, answerBytes: utf8Length(answer) },
      'turn finished',
    );
  }

  private async runDify(task: TurnTask, scope: ConversationScope, stream: AnswerStream): Promise<RunResult> {
    const { config, conversations } = this.deps;
    const deadline = new AbortController();
    const deadlineTimer = setTimeout(() => deadline.abort(new DifyError({ kind: 'deadline' })), config.dify.turnTimeoutMs);
    try {
      const conversationId = await conversations.get(scope.key);
      return await runDify(this.deps.dify, task.agent, { query: task.query, user: scope.difyUser, conversationId }, deadline.signal, {
        onChange: (builder) => stream.update({ answer: builder.answer, thinking: builder.thinking }),
        onConversation: (id) => {
          if (id !== conversationId) void conversations.set(scope.key, id);
        },
        onConversationReset: () => {
          void conversations.delete(scope.key);
        },
      });
    } finally {
      clearTimeout(deadlineTimer);
    }
  }

  private renderOptions(): { showThinking: boolean; placeholder: string; truncatedNotice: string } {
    const { config } = this.deps;
    return { showThinking: config.stream.showThinking, placeholder: config.texts.THINKING, truncatedNotice: config.texts.TRUNCATED };
  }
}
