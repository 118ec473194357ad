import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { ConversationStore } from '../../store/conversationStore';
import type { ClaimResult, StreamMeta, StreamSnapshot, StreamStore } from '../../store/streamStore';
import type { BotProfile, Config } from '../../config';
import { errorFields } from '../../logger';
import type { GatewayMetrics } from '../../metrics';
import type { MessageLog } from '../../store/messageLog';
import type { Admission } from './admission';
import type { AnswerStreamEnd, IntakeSource } from '../channel';
import type { Claimants } from './claimants';
import { type ChatParty, partyOf } from '../turn/conversationScope';
import type { AgentRoute } from './agentRouting';
import { type AskQuery, type MessagePlan, planMessage } from './messagePlan';
import type { TurnRunner } from '../turn/turnRunner';
import type { TurnTask } from '../turn/turnWork';
import type { UserMessage } from '../wecom/inbound';

export interface IntakeDeps {
  readonly config: Config;
  readonly streams: StreamStore;
  readonly messages: MessageLog;
  readonly conversations: ConversationStore;
  readonly admission: Admission;
  readonly turns: TurnRunner;
  readonly claimants: Claimants;
  readonly logger: Logger;
  readonly now: () => number;
  readonly metrics?: GatewayMetrics;
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

/** What the message log records about a message when it arrives. */
export interface ReceivedFacts {
  readonly msgtype: string;
  readonly agentId: string | undefined;
  readonly status: 'running' | 'notice';
  readonly cause: string | undefined;
}

function factsOf(msgtype: string, plan: MessagePlan): ReceivedFacts {
  if (plan.kind === 'run') return { msgtype, agentId: plan.route.agentId, status: 'running', cause: undefined };
  return {
    msgtype,
    agentId: plan.agentId,
    status: 'notice',
    cause: plan.kind === 'notice' ? plan.cause : 'new_conversation',
  };
}

/**
 * Accepting a user message, the same for every channel (ARCHITECTURE.md "One message"): ask the
 * claimants, else plan it; claim its msgid together with its stream, log it, and start its turn in
 * the background. The callback service and the long connection both come here, and so does a card
 * click that asks a question, so all share one turn implementation.
 */
export class MessageIntake {
  constructor(private readonly deps: IntakeDeps) {}

  async accept(bot: BotProfile, message: UserMessage, source: IntakeSource): Promise<Intake> {
    const { config } = this.deps;
    const meta = this.newMeta(bot, message.msgid, partyOf(message), source.responseUrl, source.reqId);
    const plan = await this.plan(bot, message, meta.id);
    const snapshot =
      plan.kind === 'run' ? { content: config.texts.THINKING, finish: false } : { content: plan.text, finish: true };
    const won = await this.claim(message, meta, plan, snapshot);
    if (!won.won) {
      // A retry of a message we already accepted: the same stream, no second Dify run (§15.7).
      this.deps.metrics?.dedupeHits.inc();
      return { kind: 'duplicate', streamId: won.streamId };
    }
    this.logReceived(meta, factsOf(message.msgtype, plan));
    if (plan.kind === 'run') {
      this.startTurn(meta, plan.query, plan.route, source);
      return { kind: 'started', meta, snapshot };
    }
    if (plan.kind === 'new_conversation') await this.deps.conversations.delete(plan.conversationKey);
    this.deps.logger.info(
      {
        stream: meta.id,
        msgid: message.msgid,
        msgtype: message.msgtype,
        outcome: plan.kind === 'notice' ? plan.cause : plan.kind,
      },
      'message answered at once',
    );
    source.settled?.(meta, 'in-stream');
    return { kind: 'answered', meta, snapshot };
  }

  /** The claimants first (people in the loop); with none registered, straight to the plan. */
  private async plan(bot: BotProfile, message: UserMessage, turnId: string): Promise<MessagePlan> {
    const { claimants } = this.deps;
    const claim = claimants.claimsMessages ? await claimants.message(bot, message) : undefined;
    if (claim !== undefined) return { kind: 'notice', text: claim.text, cause: claim.cause, agentId: undefined };
    return planMessage(this.deps.config, this.deps.admission, bot, message, turnId);
  }

  /** The msgid with its stream; an admitted run that will not start (a retry, a store failure) is let go. */
  private async claim(
    message: UserMessage,
    meta: StreamMeta,
    plan: MessagePlan,
    snapshot: StreamSnapshot,
  ): Promise<ClaimResult> {
    const release = (): void => {
      if (plan.kind === 'run') this.deps.admission.leave(partyOf(message), meta.id);
    };
    try {
      const won = await this.deps.streams.claim(`${message.aibotid}:${message.msgid}`, meta, snapshot);
      if (!won.won) release();
      return won;
    } catch (err) {
      release();
      throw err;
    }
  }

  /** Starts the turn after the first reply was written: it never waits for Dify (wecom-aibot-protocol.md §15.6). */
  startTurn(meta: StreamMeta, query: AskQuery, route: AgentRoute, source: IntakeSource): void {
    const party = { aibotid: meta.aibotid, userid: meta.userid, chattype: meta.chattype, chatid: meta.chatid };
    const task: TurnTask = {
      streamId: meta.id,
      msgid: meta.msgid,
      botKey: meta.botKey,
      party,
      query,
      mediaKey: source.mediaKey,
      agentId: route.agentId,
      agent: route.agent,
      receivedAt: meta.receivedAt,
      channel: source.channel(meta),
      ...(source.streamless === true ? { streamless: true } : {}),
    };
    const onDone = (end: AnswerStreamEnd): void => {
      this.deps.admission.leave(party, meta.id);
      source.settled?.(meta, end);
    };
    setImmediate(() => this.deps.turns.start(task, onDone));
  }

  /** The message log must never fail or slow the reply: written in the background. */
  logReceived(meta: StreamMeta, facts: ReceivedFacts): void {
    const entry = {
      streamId: meta.id,
      msgid: meta.msgid,
      botKey: meta.botKey,
      aibotid: meta.aibotid,
      userid: meta.userid,
      chatid: meta.chatid,
      chattype: meta.chattype,
      receivedAt: meta.receivedAt,
      ...facts,
    };
    this.deps.messages
      .received(entry)
      .catch((err: unknown) =>
        this.deps.logger.error({ err: errorFields(err), stream: meta.id }, 'message log write failed'),
      );
  }

  /** A new stream for something a party of a bot sent (a message, or a card click that asks). */
  newMeta(
    bot: BotProfile,
    msgid: string,
    party: ChatParty,
    responseUrl: string | undefined,
    reqId?: string,
  ): StreamMeta {
    return {
      id: newStreamId(),
      msgid,
      botKey: bot.key,
      aibotid: party.aibotid,
      userid: party.userid,
      chatid: party.chatid,
      chattype: party.chattype,
      responseUrl,
      receivedAt: this.deps.now(),
      ...(reqId !== undefined ? { reqId } : {}),
    };
  }
}
