/**
 * Types of the fake WeCom long-connection server (wecom-aibot-protocol.md §12). Frames are JSON
 * text `{cmd, headers:{req_id}, body}`; acks have no cmd and carry `errcode`/`errmsg` instead.
 */
export type JsonObject = Record<string, unknown>;

/** A callback body as built by bodies.ts (or by hand, to send something malformed). */
export type WsBody = JsonObject;

/** Any frame on the wire, in either direction, after a lenient parse. */
export interface WireFrame {
  cmd?: string;
  headers: { req_id: string };
  body?: JsonObject;
  errcode?: number;
  errmsg?: string;
}

/** One frame a client sent, in arrival order. */
export interface ClientFrame {
  /** 1-based arrival order across all connections. */
  readonly seq: number;
  /** The server's id for the socket (1-based, in order of connection). */
  readonly connId: number;
  /** The bot the socket was subscribed as when the frame arrived; for a subscribe, the claimed bot_id. */
  readonly botId: string | undefined;
  /** Date.now() at arrival. */
  readonly at: number;
  /** '' when missing or not JSON. */
  readonly cmd: string;
  /** '' when missing. */
  readonly reqId: string;
  readonly body: JsonObject | undefined;
  /** The text exactly as received. */
  readonly text: string;
}

/** The ack the server sends for a client frame (the req_id is always the frame's own). */
export interface AckReply {
  errcode: number;
  errmsg: string;
  body?: JsonObject;
}

/**
 * Hook consulted for every client frame before the fake handles it. Return an ack to send it
 * instead, or 'none' to stay silent; either way the frame then has no effect on the fake's state
 * (no subscribe, no stored chunk). Return undefined to let the fake handle the frame normally.
 */
export type AckHook = (frame: ClientFrame) => AckReply | 'none' | undefined;

/** A finished upload (aibot_upload_media_finish). */
export interface UploadedMedia {
  readonly mediaId: string;
  readonly botId: string;
  readonly type: string;
  readonly filename: string;
  readonly bytes: Buffer;
  readonly md5: string;
  /** Unix seconds as a string: the SDK types `created_at` as a string. */
  readonly createdAt: string;
}

/** A bare client connection opened by connectAs(), already subscribed (or refused). */
export interface RawWsClient {
  /** The server's ack of this client's aibot_subscribe. */
  readonly ack: WireFrame;
  /** Every frame the server sent to this client, the subscribe ack included. */
  readonly received: readonly WireFrame[];
  /** Sends `{cmd, headers:{req_id}, body}` and returns the req_id (generated when omitted). */
  send(cmd: string, body?: JsonObject, reqId?: string): string;
  /** First received frame (past or future) matching the predicate. */
  waitFor(predicate: (frame: WireFrame) => boolean, timeoutMs?: number): Promise<WireFrame>;
  /** Resolves with the close code once the socket has closed. */
  readonly closed: Promise<number>;
  close(): void;
}

export interface StartFakeWecomWsOptions {
  /** botId → secret. Other bot ids are refused on subscribe. */
  bots: Record<string, string>;
}

export interface FakeWecomWs {
  /** ws://127.0.0.1:PORT */
  readonly url: string;
  readonly frames: readonly ClientFrame[];
  /** Finished uploads by media_id. */
  readonly uploads: ReadonlyMap<string, UploadedMedia>;
  /** Sends an aibot_msg_callback to the bot's live connection; returns its req_id. Throws if none. */
  pushMessage(botId: string, body: WsBody): string;
  /** Sends an aibot_event_callback to the bot's live connection; returns its req_id. Throws if none. */
  pushEvent(botId: string, body: WsBody): string;
  waitForFrame(predicate: (frame: ClientFrame) => boolean, timeoutMs?: number): Promise<ClientFrame>;
  /** Resolves once the bot has had `count` (default 1) successful subscribes in total. */
  waitForSubscribed(botId: string, count?: number, timeoutMs?: number): Promise<void>;
  /** Re-checked whenever a frame arrives or a socket opens or closes. */
  waitUntil(check: () => boolean, timeoutMs?: number, label?: string): Promise<void>;
  subscribes(botId: string): number;
  authFailures(botId: string): number;
  isConnected(botId: string): boolean;
  /** Destroys the bot's live socket without a close frame, like a network drop. Throws if none. */
  drop(botId: string): void;
  /** Registers the bot or changes its secret; live connections stay up. */
  setSecret(botId: string, secret: string): void;
  setPingAcks(on: boolean): void;
  setAck(hook: AckHook | undefined): void;
  media(mediaId: string): Buffer | undefined;
  /** Opens a second, bare connection that subscribes as the bot (kicking the live one on success). */
  connectAs(botId: string, secret: string): Promise<RawWsClient>;
  close(): Promise<void>;
}
