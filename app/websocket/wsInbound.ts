import type { Logger } from 'pino';
import type { StreamSnapshot } from '../store/streamStore';
import type { Config } from '../config';
import { errorFields } from '../logger';
import type { EventSource } from '../services/channel';
import type { EventReplies } from '../services/intake/eventReplies';
import type { Reachability } from '../services/outbox/reachability';
import { type MessageIntake, newStreamId } from '../services/intake/messageIntake';
import { chatAddressOf, partyOf } from '../services/turn/conversationScope';
import {
  InboundParseError,
  type UserMessage,
  type WecomEvent,
  isUserMessage,
  parseInboundValue,
} from '../services/wecom/inbound';
import type { WsBotConnection } from './botConnection';
import type { InboundFrame } from './inboundFrame';
import { type ChatTarget, chatTargetOf } from './chatTarget';
import { type PusherDeps, WsStreamPusher } from './streamPusher';
import { pushMarkdown, sendFailureFields } from './wsDelivery';

export type WsInboundDeps = Omit<PusherDeps, 'conn' | 'logger'> & {
  readonly config: Config;
  readonly intake: MessageIntake;
  readonly events: EventReplies;
  readonly logger: Logger;
  /** Told when a chat's message was answered: WeCom takes pushes where the user wrote (§12). */
  readonly reachability?: Reachability;
};

/** Event replies of the long connection have commands of their own (§12). */
const EVENT_COMMANDS = { welcome: 'aibot_respond_welcome_msg', update_card: 'aibot_respond_update_msg' } as const;

/**
 * The long connection's inbound side: a frame body is parsed by the same parser as a decrypted
 * callback, a user message goes through the same intake and turn as in callback mode with a pushing
 * channel, and event replies are sent with their commands. It never throws: a failure is logged and,
 * for a user message, answered with a finished stream carrying a notice.
 */
export class WsInbound {
  private draining = false;

  constructor(private readonly deps: WsInboundDeps) {}

  /** Shutting down: the connection stays up for running answers; new messages get the restart notice. */
  startDraining(): void {
    this.draining = true;
  }

  async handle(conn: WsBotConnection, frame: InboundFrame): Promise<void> {
    const log = this.deps.logger.child({ bot: conn.bot.key, reqId: frame.reqId });
    let inbound;
    try {
      inbound = parseInboundValue(frame.body);
    } catch (err) {
      log.warn(
        { issues: err instanceof InboundParseError ? err.issues : undefined },
        'websocket frame ignored: its body does not match the protocol',
      );
      return;
    }
    if (isUserMessage(inbound)) return this.onMessage(conn, frame.reqId, inbound, log);
    switch (inbound.msgtype) {
      case 'event':
        return this.onEvent(conn, frame.reqId, inbound, log);
      case 'stream':
      case 'unsupported':
        log.debug({ msgtype: inbound.msgtype }, 'websocket frame needs no answer');
        return;
      default: {
        const exhaustive: never = inbound;
        return exhaustive;
      }
    }
  }

  private async onMessage(conn: WsBotConnection, reqId: string, message: UserMessage, log: Logger): Promise<void> {
    const chat = chatTargetOf(conn.bot.key, partyOf(message));
    const started = Date.now();
    if (this.draining) return this.answerAtOnce(conn, reqId, message, chat, this.deps.config.texts.SERVICE_RESTARTING);
    let pusher: WsStreamPusher | undefined;
    const pusherFor = (streamId: string): WsStreamPusher =>
      (pusher ??= this.pusher(conn, { streamId, msgid: message.msgid, reqId, chat }, log));
    try {
      const intake = await this.deps.intake.accept(conn.bot, message, {
        mediaKey: undefined,
        responseUrl: undefined,
        reqId,
        channel: (meta) => pusherFor(meta.id),
        settled: () => this.deps.reachability?.reached(chatAddressOf(conn.bot.key, partyOf(message))),
      });
      if (intake.kind === 'duplicate') {
        log.info(
          { msgid: message.msgid, stream: intake.streamId },
          'duplicate websocket message: its answer is already on its way',
        );
        return;
      }
      log.info(
        { msgid: message.msgid, msgtype: message.msgtype, stream: intake.meta.id, ms: Date.now() - started },
        'websocket message accepted',
      );
      void pusherFor(intake.meta.id).begin(intake.snapshot, intake.kind === 'started' ? intake.meta.id : undefined);
    } catch (err) {
      log.error({ err: errorFields(err), msgid: message.msgid }, 'websocket message could not be accepted');
      return this.answerAtOnce(conn, reqId, message, chat, this.deps.config.texts.ANSWER_FAILED);
    }
  }

  /** A finished stream with a notice, without a turn (shutting down, store unavailable). */
  private answerAtOnce(
    conn: WsBotConnection,
    reqId: string,
    message: UserMessage,
    chat: ChatTarget,
    notice: string,
  ): void {
    const streamId = newStreamId();
    const snapshot: StreamSnapshot = { content: notice, finish: true };
    void this.pusher(conn, { streamId, msgid: message.msgid, reqId, chat }, this.deps.logger).begin(snapshot);
  }

  private async onEvent(conn: WsBotConnection, reqId: string, event: WecomEvent, log: Logger): Promise<void> {
    const chat = chatTargetOf(conn.bot.key, partyOf(event));
    // A pushed message can always follow an event here: nothing is used up by reserving it.
    const source: EventSource = {
      reserveLate: () => (markdown, ids) =>
        pushMarkdown({ conn, quota: this.deps.quota, logger: log }, chat, markdown, ids),
    };
    try {
      const reply = await this.deps.events.handle(conn.bot, event, source);
      if (reply.kind === 'empty') return;
      // Due within 5 s: counted against the conversation's quota, never held back by it.
      this.deps.quota.note(chat.quotaKey);
      await conn.reply(reqId, EVENT_COMMANDS[reply.purpose], reply.body);
    } catch (err) {
      log.warn({ eventtype: event.event.eventtype, ...sendFailureFields(err) }, 'websocket event reply failed');
    }
  }

  private pusher(
    conn: WsBotConnection,
    target: ConstructorParameters<typeof WsStreamPusher>[1],
    logger: Logger,
  ): WsStreamPusher {
    const { streams, texts, frameIntervalMs, sendWaitMs, quota } = this.deps;
    return new WsStreamPusher({ conn, quota, logger, streams, texts, frameIntervalMs, sendWaitMs }, target);
  }
}
