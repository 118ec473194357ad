/**
 * Timing and size of what WeCom shows: the first reply never waits for Dify, the 6-minute window
 * closes a slow stream and the answer follows on response_url, long answers fit 20480 bytes.
 * The window is shortened to milliseconds here; production uses WECOM_STREAM_WINDOW_SECONDS.
 */
import { DEFAULT_TEXTS } from '../../app/config/texts';
import { type Harness, startHarness } from './harness';

// Turns of one conversation run one after another, so each case uses its own user.
const POLL = { pollIntervalMs: 20, maxPolls: 500 };

describe('stream window, first reply and size limits', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ windowMs: 400 });
  });
  afterAll(() => h.close());

  it('answers the first reply at once while Dify takes seconds to send its headers', async () => {
    h.dify.script('app-chat', {
      kind: 'stream',
      events: [{ event: 'message', answer: '终于' }, { event: 'message_end' }],
      headerDelayMs: 2500,
    });
    const client = h.wecom();
    const started = Date.now();
    const first = await client.sendText('慢慢来', { userid: 'slow-user', responseUrl: h.responseUrls.url() });
    const firstMs = Date.now() - started;
    expect(first.status).toBe(200);
    expect(first.reply).toMatchObject({
      msgtype: 'stream',
      stream: { finish: false, content: DEFAULT_TEXTS.THINKING },
    });
    // Measured end to end over loopback HTTP, encryption and decryption included.
    expect(firstMs).toBeLessThan(300);
  });

  it('closes a stream still running at the window with a note, then posts the answer to response_url once', async () => {
    const deltas = ['第一部分，', '第二部分，', '第三部分，', '第四部分。'];
    h.dify.script('app-chat', {
      kind: 'stream',
      events: [...deltas.map((answer) => ({ event: 'message', answer })), { event: 'message_end' }],
      delayMs: 250,
    });
    const code = 'window-test';
    const t = await h
      .wecom()
      .chat('很长的任务', { ...POLL, userid: 'window-user', responseUrl: h.responseUrls.url(code) });
    expect(t.final?.content.endsWith(DEFAULT_TEXTS.STILL_WORKING)).toBe(true);
    expect(t.final?.content.startsWith('第一部分，')).toBe(true);
    await h.responseUrls.waitForPosts(1, 5000);
    const posts = h.responseUrls.posts.filter((p) => p.code === code);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.body).toEqual({
      msgtype: 'markdown',
      markdown: { content: '第一部分，第二部分，第三部分，第四部分。' },
    });
    // A late poll still sees the finished stream, never a restarted one.
    const late = await h.wecom().poll(t.first.id);
    expect(late.reply).toMatchObject({ stream: { id: t.first.id, finish: true } });
  });

  it('keeps every snapshot of a long answer within 20480 UTF-8 bytes and says where it was cut', async () => {
    const chunk = '长'.repeat(500);
    const events = Array.from({ length: 30 }, (_, i) => ({ event: 'message', answer: `${i}${chunk}` }));
    h.dify.script('app-chat', { kind: 'stream', events: [...events, { event: 'message_end' }], delayMs: 2 });
    const t = await h.wecom().chat('写一篇长文', { ...POLL, userid: 'long-user' });
    for (const snapshot of [t.first, ...t.snapshots])
      expect(Buffer.byteLength(snapshot.content, 'utf8')).toBeLessThanOrEqual(20480);
    const final = t.final?.content ?? '';
    expect(final.startsWith(`0${chunk}1${chunk}`)).toBe(true);
    expect(final.endsWith(DEFAULT_TEXTS.TRUNCATED)).toBe(true);
    expect(Buffer.byteLength(final, 'utf8')).toBeGreaterThan(20000);
  });
});
