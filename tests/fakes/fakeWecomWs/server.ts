/**
 * The fake WeCom long-connection endpoint (wecom-aibot-protocol.md §12) on a real WebSocket
 * server bound to 127.0.0.1, for driving the official SDK (or the gateway) end to end without
 * the internet. Plain HTTP requests get 426; the path is ignored, as the real URL has none.
 */
import type WebSocket from 'ws';
import { WebSocketServer } from 'ws';
import { listenLocal, sendBody, type LocalServer } from '../shared/localServer';
import { rawText } from './frames';
import { type Conn, FakeState, handleClientText, pushCallback } from './protocol';
import { openRawClient } from './rawClient';
import type {
  AckHook,
  ClientFrame,
  FakeWecomWs,
  RawWsClient,
  StartFakeWecomWsOptions,
  UploadedMedia,
  WsBody,
} from './types';

const DEFAULT_WAIT_MS = 2000;

class FakeWecomWsServer implements FakeWecomWs {
  readonly url: string;
  private readonly state: FakeState;
  private readonly conns = new Set<Conn>();
  private readonly raws = new Set<RawWsClient>();
  private nextConnId = 1;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly local: LocalServer,
    private readonly wss: WebSocketServer,
    bots: Record<string, string>,
  ) {
    this.url = local.origin.replace(/^http:/, 'ws:');
    this.state = new FakeState(bots);
    wss.on('connection', (ws) => this.accept(ws));
    // Handshake errors of a misbehaving client must not become uncaught exceptions.
    wss.on('error', () => undefined);
  }

  get frames(): readonly ClientFrame[] {
    return this.state.frames;
  }

  get uploads(): ReadonlyMap<string, UploadedMedia> {
    return this.state.uploads.media;
  }

  pushMessage(botId: string, body: WsBody): string {
    return pushCallback(this.state, botId, 'aibot_msg_callback', body);
  }

  pushEvent(botId: string, body: WsBody): string {
    return pushCallback(this.state, botId, 'aibot_event_callback', body);
  }

  waitForFrame(predicate: (frame: ClientFrame) => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<ClientFrame> {
    return this.state.waiters.until(() => this.state.frames.find(predicate), timeoutMs, 'a matching client frame');
  }

  waitForSubscribed(botId: string, count = 1, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    return this.waitUntil(() => this.subscribes(botId) >= count, timeoutMs, `${count} subscribe(s) of ${botId}`);
  }

  waitUntil(check: () => boolean, timeoutMs = DEFAULT_WAIT_MS, label = 'a condition'): Promise<void> {
    // Waiters resolve on the first non-undefined probe value, so map false to undefined.
    return this.state.waiters.until(() => (check() ? true : undefined), timeoutMs, label).then(() => undefined);
  }

  subscribes(botId: string): number {
    return this.state.bot(botId).subscribes;
  }

  authFailures(botId: string): number {
    return this.state.bot(botId).authFailures;
  }

  isConnected(botId: string): boolean {
    return this.state.live(botId) !== undefined;
  }

  drop(botId: string): void {
    const live = this.state.live(botId);
    if (!live) throw new Error(`fake WeCom WS: bot ${botId} has no live subscribed connection to drop`);
    // terminate() destroys the TCP socket without a close frame: the client sees code 1006.
    live.ws.terminate();
  }

  setSecret(botId: string, secret: string): void {
    this.state.bot(botId).secret = secret;
  }

  setPingAcks(on: boolean): void {
    this.state.pingAcks = on;
  }

  setAck(hook: AckHook | undefined): void {
    this.state.ackHook = hook;
  }

  media(mediaId: string): Buffer | undefined {
    return this.state.uploads.media.get(mediaId)?.bytes;
  }

  async connectAs(botId: string, secret: string): Promise<RawWsClient> {
    const raw = await openRawClient(this.url, botId, secret);
    this.raws.add(raw);
    void raw.closed.then(() => this.raws.delete(raw));
    return raw;
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private accept(ws: WebSocket): void {
    const conn: Conn = { id: this.nextConnId++, ws, botId: undefined };
    this.conns.add(conn);
    ws.on('message', (data) => handleClientText(this.state, conn, rawText(data)));
    ws.on('close', () => {
      this.conns.delete(conn);
      this.state.release(conn);
      this.state.waiters.poke();
    });
    // A peer that vanishes mid-frame surfaces here and then as 'close'.
    ws.on('error', () => undefined);
    this.state.waiters.poke();
  }

  private async shutdown(): Promise<void> {
    this.state.waiters.rejectAll('fake WeCom WS server closed');
    for (const raw of this.raws) raw.close();
    for (const conn of this.conns) conn.ws.terminate();
    // wss.close() leaves an external http server alone; local.close() then destroys its sockets.
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await this.local.close();
  }
}

/** Starts the fake on 127.0.0.1 with an ephemeral port. */
export async function startFakeWecomWs(opts: StartFakeWecomWsOptions): Promise<FakeWecomWs> {
  const local = await listenLocal((_req, res) => sendBody(res, 426, 'WebSocket only', { Upgrade: 'websocket' }));
  const wss = new WebSocketServer({ server: local.server });
  return new FakeWecomWsServer(local, wss, opts.bots);
}
