/**
 * Public API of the fake WeCom side (wecom-aibot-protocol.md §2–§6, §9): a callback client that
 * encrypts/signs like WeCom and polls streams, payload builders, a response_url receiver and
 * the encrypted media bucket (§10). Crypto comes only from `@wecom/crypto` and node:crypto,
 * never from app/.
 */
export { FakeWecomClient } from './client';
export type { CallbackResult, FakeWecomOptions, PostOpts } from './client';
export type { ChatOpts, ChatTranscript, StreamReply } from './transcript';
export { asStreamReply } from './transcript';
export {
  deadResponseUrl,
  enterChatPayload,
  feedbackEventPayload,
  filePayload,
  imagePayload,
  mixedPayload,
  randomMsgid,
  randomNonce,
  streamRefreshPayload,
  templateCardEventPayload,
  textPayload,
  unixSeconds,
  videoPayload,
  voicePayload,
} from './payloads';
export type { FeedbackEvent, MessageOpts, MixedItem, PayloadOpts, TemplateCardEvent } from './payloads';
export { encryptWecomMedia, startMediaServer } from './mediaServer';
export type { MediaHit, MediaServer, ServeMediaOptions } from './mediaServer';
export { startResponseUrlServer } from './responseUrlServer';
export type { ResponseUrlPost, ResponseUrlServer } from './responseUrlServer';
