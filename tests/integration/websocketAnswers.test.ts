/**
 * What a user sees over the long connection (issue #8 scope 2-4): frames throttled and only when the
 * text changed, welcome, card clicks and feedback as in callback mode, answer images uploaded and sent
 * as image messages after the text, the user's own media decrypted with the message's aeskey, and a
 * finishing frame WeCom refuses still reaching the user as a pushed message.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { DEFAULT_TEXTS } from '../../app/config/texts';
import { startMediaServer, type MediaServer } from '../fakes/fakeWecom';
import {
  type ClientFrame,
  WS_BOT_ID,
  wsCardEvent,
  wsEnterChat,
  wsFeedback,
  wsImage,
  wsText,
} from '../fakes/fakeWecomWs';
import { md5, pngImage } from '../fakes/images';
import { type Harness, startHarness } from './harness';
import { streamOf, wsChat } from './wsChat';

const PARAMETERS = {
  opening_statement: '你好',
  file_upload: { enabled: true, allowed_file_types: ['image'], image: { enabled: true } },
};
/** A per-message media key, as the long connection sends it (§12): base64 of 32 bytes. */
const AESKEY = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';

function answer(...parts: string[]): Array<Record<string, unknown>> {
  return [...parts.map((text) => ({ event: 'message', answer: text })), { event: 'message_end' }];
}

describe('answers over the long connection', () => {
  let h: Harness;
  let media: MediaServer;
  const ws = (): NonNullable<Harness['ws']> => h.ws as NonNullable<Harness['ws']>;

  beforeAll(async () => {
    media = await startMediaServer();
    h = await startHarness({
      apps: [{ apiKey: 'app-chat', mode: 'chat', suggestions: ['怎么报销？'], parameters: PARAMETERS }],
      websocket: { bot: { welcome: '欢迎使用财务助手' } },
      env: { WECOM_WS_FRAME_INTERVAL_MS: '150', DIFY_SUGGESTIONS: 'true' },
    });
    await ws().waitForSubscribed(WS_BOT_ID);
  });
  afterAll(async () => {
    await Promise.all([h.close(), media.close()]);
  });

  it('pushes at most one frame per interval, only when the text changed, the finish last', async () => {
    const parts = Array.from({ length: 30 }, (_, i) => `第${i}段。`);
    h.dify.script('app-chat', { kind: 'stream', events: answer(...parts), delayMs: 20 });
    const t = await wsChat(ws(), wsText('长回答', { userid: 'u-throttle' }));
    expect(t.final?.content).toBe(parts.join(''));
    const frames = t.replies.filter((f) => streamOf(f) !== undefined);
    expect(frames.length).toBeLessThan(parts.length / 2);
    for (let i = 1; i < frames.length; i += 1) {
      expect((frames[i] as ClientFrame).at - (frames[i - 1] as ClientFrame).at).toBeGreaterThanOrEqual(140);
      // The finishing frame may repeat the last text: its finish flag is the change.
      expect(`${t.snapshots[i]?.content}|${t.snapshots[i]?.finish}`).not.toBe(
        `${t.snapshots[i - 1]?.content}|${t.snapshots[i - 1]?.finish}`,
      );
    }
    expect(t.snapshots.filter((s) => s.finish)).toHaveLength(1);
    expect(t.snapshots.at(-1)?.finish).toBe(true);
  });

  it('pushes the thinking frame at once while Dify is slow to answer', async () => {
    h.dify.script('app-chat', { kind: 'stream', events: answer('慢启动的回答'), headerDelayMs: 2500 });
    const pushedAt = Date.now();
    const reqId = ws().pushMessage(WS_BOT_ID, wsText('要快', { userid: 'u-fast' }));
    const first = await ws().waitForFrame((f) => f.reqId === reqId);
    expect(streamOf(first)).toMatchObject({ finish: false, content: DEFAULT_TEXTS.THINKING });
    expect(first.at - pushedAt).toBeLessThan(300);
    const final = await ws().waitForFrame((f) => f.reqId === reqId && streamOf(f)?.finish === true, 10_000);
    expect(streamOf(final)?.content).toBe('慢启动的回答');
  });

  it('welcomes with the bot welcome on enter_chat, on the event req_id', async () => {
    const reqId = ws().pushEvent(WS_BOT_ID, wsEnterChat({ userid: 'u-welcome' }));
    const reply = await ws().waitForFrame((f) => f.reqId === reqId);
    expect(reply.cmd).toBe('aibot_respond_welcome_msg');
    expect(reply.body).toEqual({ msgtype: 'text', text: { content: '欢迎使用财务助手' } });
  });

  it('shows follow-up questions on the finishing frame; a click updates the card and pushes the answer', async () => {
    const t = await wsChat(ws(), wsText('报销问题', { userid: 'u-card' }));
    const final = t.replies.find((f) => streamOf(f)?.finish === true);
    expect(final?.body?.['msgtype']).toBe('stream_with_template_card');
    const card = final?.body?.['template_card'] as { task_id: string; button_list: Array<{ key: string }> };
    expect(card.button_list.map((b) => b.key)).toEqual(['ask:怎么报销？']);
    const reqId = ws().pushEvent(
      WS_BOT_ID,
      wsCardEvent(
        { eventKey: 'ask:怎么报销？', taskId: card.task_id, cardType: 'button_interaction' },
        { userid: 'u-card' },
      ),
    );
    const update = await ws().waitForFrame((f) => f.reqId === reqId);
    expect(update.cmd).toBe('aibot_respond_update_msg');
    expect(update.body).toMatchObject({
      response_type: 'update_template_card',
      template_card: { task_id: card.task_id, main_title: { title: `${DEFAULT_TEXTS.CARD_QUESTION_ASKED}怎么报销？` } },
    });
    const pushed = await ws().waitForFrame((f) => f.cmd === 'aibot_send_msg' && f.body?.['chatid'] === 'u-card');
    expect(pushed.body).toEqual({ chatid: 'u-card', msgtype: 'markdown', markdown: { content: '收到：怎么报销？' } });
  });

  it('forwards feedback on an answer to Dify with the same user', async () => {
    h.dify.script('app-chat', {
      kind: 'stream',
      events: [
        { event: 'message', message_id: 'msg-ws-rated', answer: '答案' },
        { event: 'message_end', message_id: 'msg-ws-rated' },
      ],
    });
    const t = await wsChat(ws(), wsText('请评价', { userid: 'u-rater' }));
    ws().pushEvent(
      WS_BOT_ID,
      wsFeedback(
        { id: t.first.feedback?.id ?? 'none', type: 2, content: '不够详细', reasons: [2] },
        { userid: 'u-rater' },
      ),
    );
    const posted = await waitFor(() => h.dify.requests.find((r) => r.path === '/messages/msg-ws-rated/feedbacks'));
    expect(posted.body).toEqual({
      rating: 'dislike',
      user: `wecom:${WS_BOT_ID}:u-rater`,
      content: '回答不完整：不够详细',
    });
  });

  it('sends answer images as uploaded image messages after the text', async () => {
    const png = await pngImage(40, 30);
    const file = h.dify.serveFile({ bytes: png, contentType: 'image/png' });
    h.dify.script('app-chat', { kind: 'stream', events: answer('海报如下：\n\n', `![poster](${file.path})`) });
    const t = await wsChat(ws(), wsText('画海报', { userid: 'u-image' }));
    expect(t.final?.content).toBe('海报如下：');
    expect(t.final?.msg_item).toBeUndefined();
    const imageMessage = await ws().waitForFrame((f) => f.reqId === t.reqId && f.body?.['msgtype'] === 'image');
    const mediaId = (imageMessage.body?.['image'] as { media_id: string }).media_id;
    const bytes = ws().media(mediaId) as Buffer;
    expect((await sharp(bytes).metadata()).format).toBe('png');
    expect(createHash('md5').update(bytes).digest('hex')).toBe(md5(png));
    expect(imageMessage.seq).toBeGreaterThan(t.replies.find((f) => streamOf(f)?.finish === true)?.seq ?? Infinity);
  });

  it('decrypts the user image with the message aeskey and uploads the exact bytes to Dify', async () => {
    const photo = await pngImage(64, 48);
    const url = media.serve({ plain: photo, encodingAesKey: AESKEY, fileName: '照片.png' });
    const t = await wsChat(ws(), wsImage(url, AESKEY, { userid: 'u-photo' }));
    expect(t.final?.finish).toBe(true);
    expect(h.dify.uploads.at(-1)).toMatchObject({
      user: `wecom:${WS_BOT_ID}:u-photo`,
      filename: '照片.png',
      md5: md5(photo),
    });
  });

  it('answers with a notice when a user image expired before it could be fetched', async () => {
    const url = media.serve({ plain: await pngImage(8, 8), encodingAesKey: AESKEY, fileName: 'old.png' });
    const expired = url.replace(/\/[^/]*$/, '/gone');
    const t = await wsChat(ws(), wsImage(expired, AESKEY, { userid: 'u-expired' }));
    expect(t.final?.content.endsWith(DEFAULT_TEXTS.ATTACHMENT_FAILED.replace('{name}', '图片'))).toBe(true);
  });

  it('pushes the answer as a message when WeCom refuses the finishing frame', async () => {
    h.dify.script('app-chat', { kind: 'stream', events: answer('完整的', '回答') });
    ws().setAck((f) =>
      f.cmd === 'aibot_respond_msg' && streamOf(f)?.finish === true
        ? { errcode: 846608, errmsg: 'stream message update expired' }
        : undefined,
    );
    try {
      const t = await wsChat(ws(), wsText('过期了', { userid: 'u-refused' }));
      expect(t.final?.content).toBe('完整的回答');
      const pushed = await ws().waitForFrame((f) => f.cmd === 'aibot_send_msg' && f.body?.['chatid'] === 'u-refused');
      expect(pushed.body).toEqual({ chatid: 'u-refused', msgtype: 'markdown', markdown: { content: '完整的回答' } });
    } finally {
      ws().setAck(undefined);
    }
  });
});

async function waitFor<T>(find: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
