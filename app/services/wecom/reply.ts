import type { StreamImage } from '../../cache/streamStore';

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

export function streamReplyJson(frame: StreamFrame): string {
  const stream: Record<string, unknown> = { id: frame.id, finish: frame.finish, content: frame.content };
  if (frame.finish && frame.images !== undefined && frame.images.length > 0) {
    stream['msg_item'] = frame.images.map((image) => ({ msgtype: 'image', image: { base64: image.base64, md5: image.md5 } }));
  }
  if (frame.feedbackId !== undefined) stream['feedback'] = { id: frame.feedbackId };
  if (frame.finish && frame.card !== undefined) return JSON.stringify({ msgtype: 'stream_with_template_card', stream, template_card: frame.card });
  return JSON.stringify({ msgtype: 'stream', stream });
}

/** response_url body (§9): markdown only; text is not accepted there. */
export function markdownMessageJson(content: string): string {
  return JSON.stringify({ msgtype: 'markdown', markdown: { content } });
}

/** The welcome answer to enter_chat (§6.1): text is allowed only there. */
export function textReplyJson(content: string): string {
  return JSON.stringify({ msgtype: 'text', text: { content } });
}
