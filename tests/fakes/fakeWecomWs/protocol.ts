/**
 * What the fake does with each client frame (wecom-aibot-protocol.md §12): subscribe with
 * one-live-connection-per-bot takeover, ping, the reply commands (whose req_id must come from a
 * callback this bot was sent), proactive sends and media uploads. Every frame is recorded first.
 */
import WebSocket from 'ws';
import { wsDisconnected } from './bodies';
import { ackFrame, ERR, invalidParam, OK, parseWire, sendFrame, serverId } from './frames';
import type { AckHook, AckReply, ClientFrame, JsonObject, WsBody } from './types';
import { UploadStore } from './uploads';
import { Waiters } from './waiters';

export interface Conn {
  readonly id: number;
  readonly ws: WebSocket;
  /** Set by a successful subscribe, cleared when another connection takes the bot over. */
  botId: string | undefined;
}

interface BotState {
  /** undefined: not a registered bot, every subscribe fails. */
  secret: string | undefined;
  live: Conn | undefined;
  subscribes: number;
  authFailures: number;
  /** req_id of every callback sent to this bot → its msgtype, or eventtype for events. */
  readonly delivered: Map<string, string>;
}

/** Replies that must echo a callback's req_id → the only callback kind they answer, if any (§12). */
const REPLY_CMDS: ReadonlyMap<string, string | undefined> = new Map([
  ['aibot_respond_msg', undefined],
  ['aibot_respond_welcome_msg', 'enter_chat'],
  ['aibot_respond_update_msg', 'template_card_event'],
]);

export class FakeState {
  readonly frames: ClientFrame[] = [];
  readonly uploads = new UploadStore();
  readonly waiters = new Waiters();
  pingAcks = true;
  ackHook: AckHook | undefined;
  private readonly bots = new Map<string, BotState>();

  constructor(secrets: Record<string, string>) {
    for (const [botId, secret] of Object.entries(secrets)) this.bot(botId).secret = secret;
  }

  bot(botId: string): BotState {
    let bot = this.bots.get(botId);
    if (!bot) {
      bot = { secret: undefined, live: undefined, subscribes: 0, authFailures: 0, delivered: new Map() };
      this.bots.set(botId, bot);
    }
    return bot;
  }

  /** The bot's subscribed socket, if it is still open. */
  live(botId: string): Conn | undefined {
    const live = this.bots.get(botId)?.live;
    return live?.ws.readyState === WebSocket.OPEN ? live : undefined;
  }

  /** Forgets the connection as the live one of its bot (socket closed or taken over). */
  release(conn: Conn): void {
    if (conn.botId === undefined) return;
    const bot = this.bot(conn.botId);
    if (bot.live === conn) bot.live = undefined;
    conn.botId = undefined;
  }
}

/** Sends a callback to the bot's live connection and remembers its req_id for the replies. */
export function pushCallback(state: FakeState, botId: string, cmd: string, body: WsBody): string {
  const live = state.live(botId);
  if (!live) throw new Error(`fake WeCom WS: bot ${botId} has no live subscribed connection`);
  const reqId = serverId();
  const event = body['event'];
  const kind = typeof event === 'object' && event !== null && 'eventtype' in event ? event.eventtype : body['msgtype'];
  state.bot(botId).delivered.set(reqId, typeof kind === 'string' ? kind : '');
  sendFrame(live.ws, { cmd, headers: { req_id: reqId }, body });
  return reqId;
}

export function handleClientText(state: FakeState, conn: Conn, text: string): void {
  const wire = parseWire(text);
  const cmd = wire?.cmd ?? '';
  const body = wire?.body;
  const claimed = cmd === 'aibot_subscribe' && typeof body?.['bot_id'] === 'string' ? body['bot_id'] : undefined;
  const frame: ClientFrame = {
    seq: state.frames.length + 1,
    connId: conn.id,
    botId: claimed ?? conn.botId,
    at: Date.now(),
    cmd,
    reqId: wire?.headers.req_id ?? '',
    body,
    text,
  };
  state.frames.push(frame);
  if (wire) {
    const override = state.ackHook?.(frame);
    const reply = override === undefined ? respond(state, conn, frame) : override;
    if (reply !== undefined && reply !== 'none') sendFrame(conn.ws, ackFrame(frame.reqId, reply));
  }
  // Poke after the ack is on the wire, so a waiter never runs ahead of what the client can see.
  state.waiters.poke();
}

/** The ack for a frame, or undefined for no ack at all. */
function respond(state: FakeState, conn: Conn, frame: ClientFrame): AckReply | undefined {
  const { cmd, body = {} } = frame;
  if (cmd === 'aibot_subscribe') return subscribe(state, conn, body);
  if (cmd === 'ping') return state.pingAcks ? OK : undefined;
  if (conn.botId === undefined) return ERR.notSubscribed;
  const botId = conn.botId;
  if (REPLY_CMDS.has(cmd))
    return checkReply(state.bot(botId).delivered.get(frame.reqId), REPLY_CMDS.get(cmd), cmd, body);
  if (cmd === 'aibot_send_msg') {
    if (typeof body['chatid'] !== 'string' || body['chatid'] === '') return invalidParam('chatid');
    return typeof body['msgtype'] === 'string' ? OK : invalidParam('msgtype');
  }
  if (cmd === 'aibot_upload_media_init') return state.uploads.init(botId, body);
  if (cmd === 'aibot_upload_media_chunk') return state.uploads.chunk(botId, body);
  if (cmd === 'aibot_upload_media_finish') return state.uploads.finish(botId, body);
  return ERR.unknownCmd;
}

function checkReply(delivered: string | undefined, needs: string | undefined, cmd: string, body: JsonObject): AckReply {
  if (delivered === undefined) return ERR.invalidReqId;
  if (needs !== undefined && delivered !== needs) {
    return { errcode: ERR.invalidReqId.errcode, errmsg: `invalid req_id: ${cmd} answers ${needs}, not ${delivered}` };
  }
  if (cmd === 'aibot_respond_update_msg') {
    return body['response_type'] === 'update_template_card' ? OK : invalidParam('response_type');
  }
  return typeof body['msgtype'] === 'string' ? OK : invalidParam('msgtype');
}

/** A newer connection wins: the old one gets disconnected_event, then a close (§12). */
function subscribe(state: FakeState, conn: Conn, body: JsonObject): AckReply {
  const botId = typeof body['bot_id'] === 'string' ? body['bot_id'] : '';
  const bot = state.bot(botId);
  if (bot.secret === undefined || body['secret'] !== bot.secret) {
    bot.authFailures += 1;
    return ERR.invalidSecret;
  }
  const old = bot.live;
  if (old && old !== conn) {
    state.release(old);
    sendFrame(old.ws, { cmd: 'aibot_event_callback', headers: { req_id: serverId() }, body: wsDisconnected(botId) });
    old.ws.close(1000, 'replaced by a new connection');
  }
  if (conn.botId !== botId) state.release(conn);
  conn.botId = botId;
  bot.live = conn;
  bot.subscribes += 1;
  return OK;
}
