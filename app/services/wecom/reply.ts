import type { StreamImage } from '../../store/streamStore';

/**
 * Plaintext reply bodies (before encryption) for passive replies (wecom-aibot-protocol.md §6).
 * Key order follows the docs' examples; it does not matter to WeCom but keeps fixtures byte-comparable.
 */
/** What one stream reply says: a full snapshot, `finish` last (§6.2). */
export interface StreamFrame {
  readonly id: string;
  readonly finish: boolean;
  readonly content: string;
  /** Only on the reply that has `finish: true`, at most 10 (§6.2). */
  readonly images?: readonly StreamImage[];
  /** Only honoured on the first reply (§6.2). */
  readonly feedbackId?: string;
  /** Sent once, with the finishing reply, as stream_with_template_card (§6.4). */
  readonly card?: object;
}

/** The stream reply as an object: the callback channel encrypts its JSON, the long connection sends it as a frame body (§12). */
export function streamReplyBody(frame: StreamFrame): Record<string, unknown> {
  const stream: Record<string, unknown> = { id: frame.id, finish: frame.finish, content: frame.content };
  if (frame.finish && frame.images !== undefined && frame.images.length > 0) {
    stream['msg_item'] = frame.images.map((image) => ({
      msgtype: 'image',
      image: { base64: image.base64, md5: image.md5 },
    }));
  }
  if (frame.feedbackId !== undefined) stream['feedback'] = { id: frame.feedbackId };
  if (frame.finish && frame.card !== undefined)
    return { msgtype: 'stream_with_template_card', stream, template_card: frame.card };
  return { msgtype: 'stream', stream };
}

export function streamReplyJson(frame: StreamFrame): string {
  return JSON.stringify(streamReplyBody(frame));
}

/** response_url body (§9) and the long connection's proactive message (§12): markdown. */
export function markdownMessageBody(content: string): Record<string, unknown> {
  return { msgtype: 'markdown', markdown: { content } };
}

export function markdownMessageJson(content: string): string {
  return JSON.stringify(markdownMessageBody(content));
}

/** The welcome answer to enter_chat (§6.1): text is allowed only there. */
export function textReplyBody(content: string): Record<string, unknown> {
  return { msgtype: 'text', text: { content } };
}

export function textReplyJson(content: string): string {
  return JSON.stringify(textReplyBody(content));
}

/** A media message of the long connection (§12): images of an answer go this way, by uploaded media_id. */
export function imageMessageBody(mediaId: string): Record<string, unknown> {
  return { msgtype: 'image', image: { media_id: mediaId } };
}
