import type { Logger } from 'pino';
import type { StreamImage } from '../store/streamStore';
import { errorFields } from '../logger';
import { imageMessageBody, markdownMessageBody } from '../services/wecom/reply';
import type { WsBotConnection } from './botConnection';
import { WsSendError } from './wsSendError';
import type { ChatTarget } from './chatTarget';
import type { ConversationQuota } from './conversationQuota';

/** What a stream of the long connection sends besides its frames. */
export interface WsDeliveryDeps {
  readonly conn: WsBotConnection;
  readonly quota: ConversationQuota;
  readonly logger: Logger;
}

export function sendFailureFields(err: unknown): Record<string, unknown> {
  return err instanceof WsSendError ? { kind: err.kind, errcode: err.errcode } : { err: errorFields(err) };
}

/**
 * A whole answer as one proactive markdown message (aibot_send_msg, §12): the long connection's
 * response_url. Used after the 6-minute window and when WeCom refuses the finishing stream frame.
 */
export async function pushMarkdown(
  deps: WsDeliveryDeps,
  chat: ChatTarget,
  markdown: string,
  ids: { stream: string; msgid: string },
): Promise<boolean> {
  try {
    await deps.quota.acquire(chat.quotaKey);
    await deps.conn.sendMessage(chat.chatid, markdownMessageBody(markdown));
    deps.logger.info({ ...ids, bytes: Buffer.byteLength(markdown) }, 'answer pushed as a message');
    return true;
  } catch (err) {
    deps.logger.error({ ...ids, ...sendFailureFields(err) }, 'answer could not be pushed as a message');
    return false;
  }
}

function imageName(bytes: Buffer, index: number): string {
  return `image-${index + 1}.${bytes[0] === 0x89 ? 'png' : 'jpg'}`;
}

/**
 * The answer's images after its text. The long connection's docs say stream msg_item is not supported
 * yet (§12, §16.9), so each image is uploaded in chunks and sent as an image message on the same req_id.
 * Returns how many could not be sent.
 */
export async function sendImages(
  deps: WsDeliveryDeps,
  chat: ChatTarget,
  reqId: string,
  images: readonly StreamImage[],
  stream: string,
): Promise<number> {
  let failed = 0;
  for (const [index, image] of images.entries()) {
    try {
      const bytes = Buffer.from(image.base64, 'base64');
      const mediaId = await deps.conn.uploadImage(bytes, imageName(bytes, index));
      await deps.quota.acquire(chat.quotaKey);
      await deps.conn.reply(reqId, 'aibot_respond_msg', imageMessageBody(mediaId));
    } catch (err) {
      failed += 1;
      deps.logger.warn({ stream, image: index, ...sendFailureFields(err) }, 'answer image could not be sent');
    }
  }
  return failed;
}
