import { WSClient, type SendMsgBody, type WsFrame } from '@wecom/aibot-node-sdk';
import type { Logger } from 'pino';
import type { WebsocketConfig, WsBotConfig } from '../config';
import type { GatewayMetrics } from '../metrics';
import { sdkLogger } from './sdkLogger';
import { type InboundFrame, isTakeover } from './inboundFrame';
import { WsSendError, toSendError } from './wsSendError';

/**
 * What /readyz shows per websocket bot. `auth_failed` while the SDK retries a refused subscribe and
 * after it gave up; `taken_over` once a connection from outside kicked this one (§12); `standby`
 * while another instance of this gateway holds the bot's connection.
 */
export type WsLinkState =
  'standby' | 'connecting' | 'connected' | 'reconnecting' | 'auth_failed' | 'taken_over' | 'stopped';

/** After a takeover: wait for the bot on standby (another instance of ours has it), or stay out. */
export type TakeoverVerdict = 'standby' | 'taken_over';

/**
 * One bot's long connection (wecom-aibot-protocol.md §12) through the official SDK, which subscribes,
 * beats, reconnects with backoff and matches acks. This class adds what the gateway needs: a state
 * for /readyz, loud logs for auth failures and takeovers, and sends that wait for a dropped link to
 * come back instead of failing at once.
 */
export class WsBotConnection {
  private readonly client: WSClient;
  private current: WsLinkState = 'connecting';
  private gaveUp = false;
  private takenOver = false;
  /** The SDK client was started and not kicked out since. */
  private clientActive = false;
  private readonly waiters = new Set<() => void>();
  private readonly log: Logger;

  constructor(
    readonly bot: WsBotConfig,
    private readonly settings: WebsocketConfig,
    logger: Logger,
    private readonly onFrame: (frame: InboundFrame) => void,
    private readonly metrics?: GatewayMetrics,
    private readonly onTakenOver: () => TakeoverVerdict = () => 'taken_over',
  ) {
    this.log = logger.child({ bot: bot.key });
    this.client = new WSClient({
      botId: bot.botId,
      secret: bot.secret,
      wsUrl: bot.wsUrl,
      heartbeatInterval: settings.heartbeatMs,
      reconnectInterval: settings.reconnectBaseMs,
      // A gateway keeps trying (backoff capped at 30 s by the SDK); a refused secret does not fix itself.
      maxReconnectAttempts: -1,
      maxAuthFailureAttempts: settings.maxAuthFailures,
      logger: sdkLogger(this.log),
    });
    this.listen();
    this.metrics?.wsConnected.set({ bot: bot.key }, 0);
  }

  get state(): WsLinkState {
    return this.current;
  }

  start(): void {
    if (this.current === 'stopped') return;
    this.takenOver = false;
    this.clientActive = true;
    this.setState('connecting');
    this.log.info({ wsUrl: this.bot.wsUrl }, 'websocket bot connecting');
    this.client.connect();
  }

  /** Another instance holds this bot's connection: wait, unconnected, until it is ours (see WsConnections). */
  standby(): void {
    if (this.current === 'standby' || this.current === 'stopped') return;
    this.setState('standby');
    this.log.info({ state: 'standby' }, 'websocket bot on standby: another instance holds its connection');
  }

  stop(): void {
    if (this.current === 'stopped') return;
    this.setState('stopped');
    // The SDK warns about a disconnect it has nothing to do for (never started, or kicked out).
    if (this.clientActive) this.client.disconnect();
  }

  /** A reply to an inbound frame (same req_id): aibot_respond_msg, _welcome_msg or _update_msg (§12). */
  async reply(reqId: string, cmd: string, body: Record<string, unknown>): Promise<void> {
    await this.counted(cmd, async () => {
      await this.whenUsable();
      await this.client.reply({ headers: { req_id: reqId } }, body, cmd);
    });
  }

  /** A proactive message (aibot_send_msg) to a user (single chat: their userid) or a group (its chatid). */
  async sendMessage(chatid: string, body: Record<string, unknown>): Promise<void> {
    await this.counted('aibot_send_msg', async () => {
      await this.whenUsable();
      await this.client.sendMessage(chatid, body as unknown as SendMsgBody);
    });
  }

  private async counted(cmd: string, send: () => Promise<void>): Promise<void> {
    try {
      await send();
      this.metrics?.wsFrames.inc({ cmd, outcome: 'sent' });
    } catch (err) {
      const failure = err instanceof WsSendError ? err : toSendError(err);
      this.metrics?.wsFrames.inc({ cmd, outcome: failure.kind === 'rejected' ? 'refused' : 'link' });
      throw failure;
    }
  }

  /** Chunked upload (aibot_upload_media_*); the media_id is valid for 3 days. */
  async uploadImage(bytes: Buffer, filename: string): Promise<string> {
    await this.whenUsable();
    const result = await this.client
      .uploadMedia(bytes, { type: 'image', filename })
      .catch((err: unknown) => Promise.reject(toSendError(err)));
    return result.media_id;
  }

  /** Resolves true once connected, false if the link is gone for good or does not come back in time. */
  whenConnected(timeoutMs: number): Promise<boolean> {
    if (this.current === 'connected') return Promise.resolve(true);
    if (this.isFinal()) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(this.current === 'connected');
      };
      const timer = setTimeout(wake, timeoutMs);
      timer.unref();
      this.waiters.add(wake);
    });
  }

  private async whenUsable(): Promise<void> {
    if (!(await this.whenConnected(this.settings.sendWaitMs)))
      throw new WsSendError('link', `the connection is ${this.current}`);
  }

  private isFinal(): boolean {
    return this.current === 'stopped' || this.current === 'taken_over' || this.current === 'standby' || this.gaveUp;
  }

  private setState(next: WsLinkState): void {
    this.current = next;
    this.metrics?.wsConnected.set({ bot: this.bot.key }, next === 'connected' ? 1 : 0);
    if (next === 'connected' || this.isFinal()) for (const wake of [...this.waiters]) wake();
  }

  private listen(): void {
    this.client.on('authenticated', () => {
      this.log.info({ state: 'connected' }, 'websocket bot connected');
      this.setState('connected');
    });
    this.client.on('disconnected', (reason: string) => this.onDisconnected(reason));
    this.client.on('reconnecting', (attempt: number) => this.log.info({ attempt }, 'websocket bot reconnecting'));
    this.client.on('error', (err: Error) => this.onError(err));
    this.client.on('message', (frame: WsFrame) => this.deliver(frame));
    this.client.on('event', (frame: WsFrame) => this.deliver(frame));
  }

  private deliver(frame: WsFrame): void {
    if (isTakeover(frame.body)) {
      // §12: WeCom keeps one connection per bot; the SDK does not reconnect after this, and neither do we.
      this.takenOver = true;
      return;
    }
    this.onFrame({ reqId: frame.headers.req_id, body: frame.body });
  }

  private onDisconnected(reason: string): void {
    if (this.current === 'stopped') return;
    if (this.takenOver) {
      this.clientActive = false;
      const verdict = this.onTakenOver();
      if (verdict === 'standby') this.standby();
      else {
        this.setState('taken_over');
        this.log.error(
          { state: 'taken_over' },
          'websocket bot taken over: another connection subscribed as this bot; this instance stops serving it (run each websocket bot on one instance only, or let instances share one PostgreSQL)',
        );
      }
      return;
    }
    if (this.current !== 'auth_failed') this.setState('reconnecting');
    this.log.warn({ reason }, 'websocket connection lost');
  }

  private onError(err: Error): void {
    if (err.name === 'WSAuthFailureError') {
      this.gaveUp = true;
      this.setState('auth_failed');
      this.log.error(
        { state: 'auth_failed', attempts: this.settings.maxAuthFailures },
        'websocket bot gave up: WeCom refused its botId/secret every time; fix the credentials and restart',
      );
    } else if (err.message.startsWith('Authentication failed')) {
      this.setState('auth_failed');
      this.log.error(
        { state: 'auth_failed', cause: err.message },
        'websocket subscribe refused by WeCom (wrong botId or secret?); retrying with backoff',
      );
    } else {
      this.log.warn({ cause: err.message }, 'websocket error');
    }
  }
}
