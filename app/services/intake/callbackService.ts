import type { Logger } from 'pino';
import type { StreamMeta, StreamRecord, StreamStore } from '../../store/streamStore';
import { GatewayError } from '../../errors';
import type { BotConfig, Config } from '../../config';
import type { AnswerStreamEnd, EventReply, EventSource, IntakeSource, TurnChannel } from '../channel';
import type { ResponseUrlBook } from '../outbox/responseUrlBook';
import { chatAddressOf, partyOf } from '../turn/conversationScope';
import type { EventReplies } from './eventReplies';
import type { MessageIntake } from './messageIntake';
import {
  type StreamRefresh,
  type UserMessage,
  type WecomEvent,
  type WecomInbound,
  isUserMessage,
} from '../wecom/inbound';
import { ownerLostFinal } from '../wecom/streamContent';
import type { StreamFrame } from '../wecom/reply';
import type { ResponseUrlClient } from '../wecom/responseUrlClient';

/** What the route sends back, before encryption (wecom-aibot-protocol.md §4.2, §6). */
export type CallbackReply =
  | { readonly kind: 'empty' }
  | { readonly kind: 'plaintext'; readonly json: string }
  | { readonly kind: 'stream'; readonly frame: StreamFrame };

export interface CallbackDeps {
  readonly config: Config;
  readonly streams: StreamStore;
  readonly intake: MessageIntake;
  readonly events: EventReplies;
  readonly responseUrl: ResponseUrlClient;
  /** Where response_urls nothing else needs are left for the chat outbox. */
  readonly book: ResponseUrlBook;
  readonly logger: Logger;
  readonly now: () => number;
}

const EMPTY: CallbackReply = { kind: 'empty' };

function frameOf(id: string, record: StreamRecord): StreamFrame {
  const { snapshot } = record;
  return {
    id,
    finish: snapshot.finish,
    content: snapshot.content,
    ...(snapshot.images !== undefined ? { images: snapshot.images } : {}),
    ...(snapshot.card !== undefined ? { card: snapshot.card } : {}),
  };
}

/** An event's reply travels in the HTTP response as encrypted JSON (§4.2). */
function eventReplyOf(reply: EventReply): CallbackReply {
  return reply.kind === 'empty' ? EMPTY : { kind: 'plaintext', json: JSON.stringify(reply.body) };
}

/**
 * The callback channel: answers every decrypted callback at once and never waits for Dify
 * (ARCHITECTURE.md "One message", steps 2-6). Messages start a turn in the background; polls read the stream state.
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
        return this.answerEvent(bot, inbound);
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
    // The same ending the long connection's next holder writes (websocket/wsOrphans).
    const content = ownerLostFinal(record.snapshot.content, texts.THINKING, texts.OWNER_LOST, texts.TRUNCATED);
    await this.deps.streams.publish(id, { content, finish: true });
    this.deps.logger.warn(
      { stream: id, msgid: record.meta.msgid, outcome: 'owner_lost' },
      'finished a stream whose instance stopped',
    );
    return { kind: 'stream', frame: { id, finish: true, content } };
  }

  private async acceptMessage(bot: BotConfig, message: UserMessage): Promise<CallbackReply> {
    const source: IntakeSource = {
      mediaKey: bot.aesKey,
      responseUrl: message.response_url,
      channel: (meta) => this.channelFor(meta),
      settled: (meta, end) => this.leaveResponseUrl(meta, end),
    };
    const intake = await this.deps.intake.accept(bot, message, source);
    switch (intake.kind) {
      case 'duplicate': {
        const record = await this.deps.streams.get(intake.streamId);
        return {
          kind: 'stream',
          frame:
            record === undefined
              ? { id: intake.streamId, finish: true, content: this.deps.config.texts.STREAM_EXPIRED }
              : frameOf(intake.streamId, record),
        };
      }
      case 'started':
        // The answer's feedback id is its stream id; only the first reply carries it (§6.2).
        return { kind: 'stream', frame: { id: intake.meta.id, ...intake.snapshot, feedbackId: intake.meta.id } };
      case 'answered':
        return { kind: 'stream', frame: { id: intake.meta.id, ...intake.snapshot } };
      default: {
        const exhaustive: never = intake;
        return exhaustive;
      }
    }
  }

  /**
   * An event's reply goes back in the HTTP response; its response_url (a card click's) serves a
   * question asked by the click, and is otherwise left to the chat outbox.
   */
  private async answerEvent(bot: BotConfig, event: WecomEvent): Promise<CallbackReply> {
    const url = 'response_url' in event && typeof event.response_url === 'string' ? event.response_url : undefined;
    let reserved = false;
    const source: EventSource = {
      reserveLate: () => {
        if (url === undefined) return undefined;
        reserved = true;
        return (markdown, ids) => this.deps.responseUrl.postMarkdown(url, markdown, ids);
      },
    };
    const receivedAt = this.deps.now();
    const reply = await this.deps.events.handle(bot, event, source);
    if (url !== undefined && !reserved) this.deps.book.offer(chatAddressOf(bot.key, partyOf(event)), url, receivedAt);
    return eventReplyOf(reply);
  }

  /** Answered within the stream: the message's response_url is still unused (§9), so the outbox may have it. */
  private leaveResponseUrl(meta: StreamMeta, end: AnswerStreamEnd): void {
    if (end === 'in-stream' && meta.responseUrl !== undefined)
      this.deps.book.offer(chatAddressOf(meta.botKey, meta), meta.responseUrl, meta.receivedAt);
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
}
