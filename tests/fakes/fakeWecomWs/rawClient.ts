/**
 * A bare long-connection client, independent of the official SDK: it subscribes and then only
 * records what the server sends. Used to take a bot over from the SDK (a second subscribe kicks
 * the first connection) and to send frames the SDK would never send.
 */
import WebSocket from 'ws';
import { parseWire, rawText, sendFrame, serverId } from './frames';
import type { JsonObject, RawWsClient, WireFrame } from './types';
import { Waiters } from './waiters';

function opened(ws: WebSocket, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`raw WeCom WS client: no connection after ${timeoutMs} ms`));
    }, timeoutMs);
    ws.once('open', () => {
      clearTimeout(timer);
      resolve();
    });
    ws.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

export async function openRawClient(
  url: string,
  botId: string,
  secret: string,
  timeoutMs = 2000,
): Promise<RawWsClient> {
  const ws = new WebSocket(url);
  const received: WireFrame[] = [];
  const waiters = new Waiters();
  ws.on('message', (data) => {
    const frame = parseWire(rawText(data));
    if (frame) received.push(frame);
    waiters.poke();
  });
  // Errors after the handshake end in 'close'; without a listener ws would throw them.
  ws.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await opened(ws, timeoutMs);

  const send = (cmd: string, body?: JsonObject, reqId = `${cmd}_${Date.now()}_${serverId(4)}`): string => {
    const frame: WireFrame = { cmd, headers: { req_id: reqId } };
    if (body) frame.body = body;
    sendFrame(ws, frame);
    return reqId;
  };
  const waitFor = (predicate: (frame: WireFrame) => boolean, ms = 2000): Promise<WireFrame> =>
    waiters.until(() => received.find(predicate), ms, 'a frame on the raw client');

  const subscribeId = send('aibot_subscribe', { bot_id: botId, secret });
  try {
    // Acks are the frames without a cmd that echo our req_id.
    const ack = await waitFor((f) => f.cmd === undefined && f.headers.req_id === subscribeId, timeoutMs);
    return { ack, received, send, waitFor, closed, close: () => ws.terminate() };
  } catch (error) {
    ws.terminate();
    throw error;
  }
}
