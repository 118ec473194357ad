import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { StreamMeta, StreamRecord, StreamStore } from '../cache/streamStore';
import { GatewayError } from '../errors';
import { errorFields } from '../logger';
import type { MessageLog } from '../store/messageLog';
import type { BotConfig, Config } from '../config';
import type { ConversationStore } from '../cache/conversationStore';
import type { Admission } from './admission';
import type { EventReplies } from './eventReplies';
import type { GatewayMetrics } from '../metrics';
import { type AgentRoute, type AskQuery, type MessagePlan, planMessage } from './messagePlan';
import type { TurnChannel } from './answerStream';
import type { TurnRunner, TurnTask } from './turn';
import { type StreamRefresh, type UserMessage, type WecomInbound, isUserMessage } from './wecom/inbound';
import type { StreamFrame } from './wecom/reply';
import type { ResponseUrlClient } from './wecom/responseUrlClient';
import { WECOM_CONTENT_MAX_BYTES, truncateUtf8 } from './wecom/utf8';

/** What the route sends back, before encryption (wecom-aibot-protocol.md §4.2, §6). */
export type CallbackReply = { readonly kind: 'empty' } | { readonly kind: 'plaintext'; readonly json: string } | { readonly kind: 'stream'; readonly frame: StreamFrame };

export interface CallbackDeps {
  readonly config: Config;
  readonly streams: StreamStore;
  readonly messages: MessageLog;
  readonly conversations: ConversationStore;
  readonly admission: Admission;
  readonly events: EventReplies;
  readonly metrics?: GatewayMetrics;
  readonly turns: TurnRunner;
  readonly responseUrl: ResponseUrlClient;
  readonly logger: Logger;
  readonly now: () => number;
}

const EMPTY: CallbackReply = { kind: 'empty' };



/** Stream ids are ours to choose (§6.2); 96 random bits, URL-safe. */
function newStreamId(): string {
  return `s_${randomBytes(12).toString('base64url')}`;
}

function frameOf(id: string, record: StreamRecord): StreamFrame {
  const { snapshot } = record;
  return { id, finish: snapshot.finish, content: snapshot.content, ...(snapshot.images !== undefined ? { images: snapshot.images } : {}), ...(snapshot.card !== undefined ? { card: snapshot.card } : {}) };
}

/**
 * The callback channel: answers every decrypted callback at once and never waits for Dify
 * (DESIGN.md steps 2-6). Messages start a turn in the background; polls read the stream state.
 */
export class CallbackService {
  private draining = false;

  constructor(private readonly deps: CallbackDeps) {}

  /** Shutting down: new messages are refused with 503 (WeCom retries, another instance takes it); polls go on. */
  startDraining(): void {
    this.draining = true;
  }

  async handle(bot: BotConfig, inbound: WecomInbound): Promise<CallbackReply> {
    if (isUserMessage(inbound)) {
      if (this.draining) throw new GatewayError('SHUTTING_DOWN', 'this instance is shutting down');
      return this.acceptMessage(bot, inbound);
    }
    switch (inbound.msgtype) {
      case 'stream':
        return this.answerPoll(bot, inbound);
      case 'event':
        return this.deps.events.handle(bot, inbound);
      case 'unsupported':
        return EMPTY;
      default: {
        const exhaustive: never = inbound;
        return exhaustive;
      }
    }
  }

  /** A stream refresh: the latest snapshot, or a finished "expired" notice for an unknown id (§15.14). */
  private async answerPoll(bot: BotConfig, poll: StreamRefresh): Promise<CallbackReply> {
    const id = poll.stream.id;
    const record = await this.deps.streams.get(id);
    if (record === undefined || record.meta.botKey !== bot.key || record.meta.aibotid !== poll.aibotid) {
      return { kind: 'stream', frame: { id, finish: true, content: this.deps.config.texts.STREAM_EXPIRED } };
    }
    if (record.stale === true) return this.finishOrphan(id, record);
    return { kind: 'stream', frame: frameOf(id, record) };
  }

  /**
   * The instance running this stream stopped beating (killed, crashed): it will never finish it, so
   * this poll does, instead of leaving WeCom polling for 6 minutes (issue #4 scope 3).
   */
  private async finishOrphan(id: string, record: StreamRecord): Promise<CallbackReply> {
    const { texts } = this.deps.config;
    const partial = record.snapshot.content === texts.THINKING ? '' : record.snapshot.content;
    const content = truncateUtf8(partial === '' ? texts.OWNER_LOST : `${partial}\n\n${texts.OWNER_LOST}`, WECOM_CONTENT_MAX_BYTES);
    await this.deps.streams.publish(id, { content, finish: true });
    this.deps.logger.warn({ stream: id, msgid: record.meta.msgid, outcome: 'owner_lost' }, 'finished a stream whose instance stopped');
    return { kind: 'stream', frame: { id, finish: true, content } };
  }

  private async acceptMessage(bot: BotConfig, message: UserMessage): Promise<CallbackReply> {
    const { config, streams } = this.deps;
    const meta = this.metaOf(bot, message, newStreamId());
    const plan = planMessage(config, this.deps.admission, bot, message);
    const initial = plan.kind === 'run' ? { content: config.texts.THINKING, finish: false } : { content: plan.text, finish: true };
    const claim = await streams.claim(`${message.aibotid}:${message.msgid}`, meta, initial);
    if (!claim.won) {
      // A retry of a message we already accepted: the same stream, no second Dify run (§15.7).
      this.deps.metrics?.dedupeHits.inc();
      const record = await streams.get(claim.streamId);
      return { kind: 'stream', frame: record === undefined ? { id: claim.streamId, finish: true, content: config.texts.STREAM_EXPIRED } : frameOf(claim.streamId, record) };
    }
    this.logReceived(meta, message.msgtype, plan);
    if (plan.kind === 'run') {
      this.startTurn(meta, plan.query, plan.route, bot.aesKey);
      // The answer's feedback id is its stream id; only the first reply carries it (§6.2).
      return { kind: 'stream', frame: { id: meta.id, ...initial, feedbackId: meta.id } };
    }
    if (plan.kind === 'new_conversation') await this.deps.conversations.delete(plan.conversationKey);
    this.deps.logger.info({ stream: meta.id, msgid: message.msgid, msgtype: message.msgtype, outcome: plan.kind === 'notice' ? plan.cause : plan.kind }, 'message answered at once');
    return { kind: 'stream', frame: { id: meta.id, ...initial } };
  }

  private startTurn(meta: StreamMeta, query: AskQuery, route: AgentRoute, mediaKey: Buffer): void {
    const leave = this.deps.admission.enter({ aibotid: meta.aibotid, userid: meta.userid, chattype: meta.chattype, chatid: meta.chatid });
    const task: TurnTask = {
      streamId: meta.id,
      msgid: meta.msgid,
      party: { aibotid: meta.aibotid, userid: meta.userid, chattype: meta.chattype, chatid: meta.chatid },
      query,
      mediaKey,
      agentId: route.agentId,
      agent: route.agent,
      receivedAt: meta.receivedAt,
      channel: this.channelFor(meta),
    };
    // After the reply is written: the first answer never waits for Dify (wecom-aibot-protocol.md §15.6).
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

  private channelFor(meta: StreamMeta): TurnChannel {
    const { streams, responseUrl, logger } = this.deps;
    return {
      publish: (snapshot) => streams.publish(meta.id, snapshot),
      deliverLate: async (markdown) => {
        if (meta.responseUrl === undefined) {
          logger.error({ stream: meta.id, msgid: meta.msgid }, 'late answer lost: the message had no response_url');
          return false;
        }
        return responseUrl.postMarkdown(meta.responseUrl, markdown, { stream: meta.id, msgid: meta.msgid });
      },
    };
  }

  private metaOf(bot: BotConfig, message: UserMessage, streamId: string): StreamMeta {
    return {
      id: streamId,
      msgid: message.msgid,
      botKey: bot.key,
      aibotid: message.aibotid,
      userid: message.from.userid,
      chatid: message.chatid,
      chattype: message.chattype,
      responseUrl: message.response_url,
      receivedAt: this.deps.now(),
    };
  }
}
