/**
 * Public API of the fake WeCom long-connection (WebSocket) side, wecom-aibot-protocol.md §12:
 * the server and the callback body builders. Independent of app/ so it stays an oracle.
 */
export { startFakeWecomWs } from './server';
export {
  WS_BOT_ID,
  wsCardEvent,
  wsDisconnected,
  wsEnterChat,
  wsFeedback,
  wsFile,
  wsImage,
  wsMixed,
  wsText,
  wsVideo,
  wsVoice,
} from './bodies';
export type { WsCardEvent, WsFeedback, WsMixedItem, WsOpts } from './bodies';
export { CHUNK_MAX_BYTES, MAX_CHUNKS } from './uploads';
export { ERR as WS_ERR } from './frames';
export type {
  AckHook,
  AckReply,
  ClientFrame,
  FakeWecomWs,
  JsonObject,
  RawWsClient,
  StartFakeWecomWsOptions,
  UploadedMedia,
  WireFrame,
  WsBody,
} from './types';
