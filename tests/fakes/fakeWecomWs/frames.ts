/**
 * Wire helpers shared by the fake server and its bare client: lenient JSON parsing, acks, ids.
 *
 * Error codes: only 846605 ("invalid req_id") has been seen from the real server
 * (wecom-aibot-protocol.md §12). WeCom does not document the others for this channel, so the
 * numbers below are the fake's own choice; tests should assert `errcode !== 0` for them.
 */
import { randomBytes } from 'node:crypto';
import WebSocket, { type RawData } from 'ws';
import type { AckReply, JsonObject, WireFrame } from './types';

export const OK: AckReply = { errcode: 0, errmsg: 'ok' };

export const ERR = {
  invalidReqId: { errcode: 846605, errmsg: 'invalid req_id' },
  invalidSecret: { errcode: 600011, errmsg: 'invalid bot_id or secret' },
  notSubscribed: { errcode: 600012, errmsg: 'connection not subscribed' },
  unknownCmd: { errcode: 600013, errmsg: 'unknown cmd' },
} as const satisfies Record<string, AckReply>;

/** WeCom's generic "invalid parameter" code, with the reason spelled out for test failures. */
export function invalidParam(reason: string): AckReply {
  return { errcode: 40058, errmsg: `invalid parameter: ${reason}` };
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** ws hands text frames over as Buffers (or fragments); frames are UTF-8 JSON text. */
export function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data).toString('utf8');
}

/** Parses a frame without trusting its shape; undefined when the text is not a JSON object. */
export function parseWire(text: string): WireFrame | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isJsonObject(value)) return undefined;
  const headers = value['headers'];
  const frame: WireFrame = {
    headers: { req_id: isJsonObject(headers) && typeof headers['req_id'] === 'string' ? headers['req_id'] : '' },
  };
  if (typeof value['cmd'] === 'string') frame.cmd = value['cmd'];
  if (isJsonObject(value['body'])) frame.body = value['body'];
  if (typeof value['errcode'] === 'number') frame.errcode = value['errcode'];
  if (typeof value['errmsg'] === 'string') frame.errmsg = value['errmsg'];
  return frame;
}

/** `{headers:{req_id}, errcode, errmsg[, body]}`: acks carry no cmd, which is how the SDK spots them. */
export function ackFrame(reqId: string, reply: AckReply): WireFrame {
  const frame: WireFrame = { headers: { req_id: reqId }, errcode: reply.errcode, errmsg: reply.errmsg };
  if (reply.body) frame.body = reply.body;
  return frame;
}

/** Ids the server invents (callback req_ids, upload ids, media ids); the real shapes are opaque. */
export function serverId(bytes = 16): string {
  return randomBytes(bytes).toString('hex');
}

/** Sends a frame if the socket is still open; a closing socket silently drops it, like the network. */
export function sendFrame(ws: WebSocket, frame: WireFrame): boolean {
  if (ws.readyState !== WebSocket.OPEN) return false;
  ws.send(JSON.stringify(frame));
  return true;
}
