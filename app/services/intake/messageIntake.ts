import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { ConversationStore } from '../../store/conversationStore';
import type { StreamMeta, StreamSnapshot, StreamStore } from '../../store/streamStore';
import type { BotProfile, Config } from '../../config';
import { errorFields } from '../../logger';
import type { GatewayMetrics } from '../../metrics';
import type { MessageLog } from '../../store/messageLog';
import type { Admission } from './admission';
import type { TurnChannel } from '../turn/answerStream';
import { type AgentRoute, type AskQuery, type MessagePlan, planMessage } from './messagePlan';
import type { TurnRunner, TurnTask } from '../turn/turnRunner';
import type { UserMessage } from '../wecom/inbound';

export interface IntakeDeps {
  readonly config: Config;
  readonly streams: StreamStore;
  readonly messages: MessageLog;
  readonly conversations: ConversationStore;
  readonly admission: Admission;
  readonly turns: TurnRunner;
  readonly logger: Logger;
  readonly now: () => number;
  readonly metrics?: GatewayMetrics;
}

/** What the channel a message came in on brings to its turn. */
export interface IntakeSource {
  /** Decrypts the message's media when they carry no key of their own (callback mode, §10). */
  readonly mediaKey: Buffer | undefined;
  /** The one-shot URL of the late answer (callback mode, §9). */
  readonly responseUrl: string | undefined;
  /** Where the turn's snapshots go: stored for polls, or pushed over the long connection. */
  channel(meta: StreamMeta): TurnChannel;
}

/**
 * A message's fate: a retry of one already accepted (no second run), answered at once with a finished
 * snapshot (notice or command), or a turn started whose first snapshot is the thinking placeholder.
 */
export type Intake =
  | { readonly kind: 'duplicate'; readonly streamId: string }
  | { readonly kind: 'answered'; readonly meta: StreamMeta; readonly snapshot: StreamSnapshot }
  | { readonly kind: 'started'; readonly meta: StreamMeta; readonly snapshot: StreamSnapshot };

/** Stream ids are ours to choose (§6.2); 96 random bits, URL-safe. */
export function newStreamId(): string {
  return `s_${randomBytes(12).toString('base64url')}`;
}

/**
 * Accepting a user message, the same for every channel (DESIGN.md steps 2-5): plan it, claim its msgid
 * together with its stream, log it, and start its turn in the background. The callback service and the
 * long connection both come here, so they share one turn implementation.
 */
export class MessageIntake {
  constructor(private readonly deps: IntakeDeps) {}

  async accept(bot: BotProfile, message: UserMessage, source: IntakeSource): Promise<Intake> {
    const { config, streams } = this.deps;
    const meta = this.metaOf(bot, message, source.responseUrl);
    const plan = planMessage(config, this.deps.admission, bot, message);
    const snapshot = plan.kind === 'run' ? { content: config.texts.THINKING, finish: false } : { content: plan.text, finish: true };
    const claim = await streams.claim(`${message.aibotid}:${message.msgid}`, meta, snapshot);
    if (!claim.won) {
      // A retry of a message we already accepted: the same stream, no second Dify run (§15.7).
      this.deps.metrics?.dedupeHits.inc();
      return { kind: 'duplicate', streamId: claim.streamId };
    }
    this.logReceived(meta, message.msgtype, plan);
    if (plan.kind === 'run') {
      this.startTurn(meta, plan.query, plan.route, source);
      return { kind: 'started', meta, snapshot };
    }
    if (plan.kind === 'new_conversation') await this.deps.conversations.delete(plan.conversationKey);
    this.deps.logger.info({ stream: meta.id, msgid: message.msgid, msgtype: message.msgtype, outcome: plan.kind === 'notice' ? plan.cause : plan.kind }, 'message answered at once');
    return { kind: 'answered', meta, snapshot };
  }

  private startTurn(meta: StreamMeta, query: AskQuery, route: AgentRoute, source: IntakeSource): void {
    const party = { aibotid: meta.aibotid, userid: meta.userid, chattype: meta.chattype, chatid: meta.chatid };
    const leave = this.deps.admission.enter(party);
    const task: TurnTask = {
      streamId: meta.id,
      msgid: meta.msgid,
      party,
      query,
      mediaKey: source.mediaKey,
      agentId: route.agentId,
      agent: route.agent,
      receivedAt: meta.receivedAt,
      channel: source.channel(meta),
    };
    // After the first reply is written: it never waits for Dify (wecom-aibot-protocol.md §15.6).
    setImmediate(() => this.deps.turns.start(task, leave));
  }

  /** The message log must never fail or slow the reply: written in the background. */
  private logReceived(meta: StreamMeta, msgtype: string, plan: MessagePlan): void {
    const entry = {
      streamId: meta.id,
      msgid: meta.msgid,
      botKey: meta.botKey,
      aibotid: meta.aibotid,
      userid: meta.userid,
      chatid: meta.chatid,
      chattype: meta.chattype,
      msgtype,
      agentId: plan.kind === 'run' ? plan.route.agentId : plan.agentId,
      receivedAt: meta.receivedAt,
      status: plan.kind === 'run' ? ('running' as const) : ('notice' as const),
      cause: plan.kind === 'notice' ? plan.cause : plan.kind === 'new_conversation' ? 'new_conversation' : undefined,
    };
    this.deps.messages.received(entry).catch((err: unknown) => this.deps.logger.error({ err: errorFields(err), stream: meta.id }, 'message log write failed'));
  }

  private metaOf(bot: BotProfile, message: UserMessage, responseUrl: string | undefined): StreamMeta {
    return {
      id: newStreamId(),
      msgid: message.msgid,
      botKey: bot.key,
      aibotid: message.aibotid,
      userid: message.from.userid,
      chatid: message.chatid,
      chattype: message.chattype,
      responseUrl,
      receivedAt: this.deps.now(),
    };
  }
}
