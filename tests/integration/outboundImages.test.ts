/**
 * Images in the agent's answer reach the user as real pictures (issue #3 scope 2-3): fetched from the
 * fake Dify while their signatures are valid, converted to JPG/PNG within the size limit, sent as
 * `msg_item` on the final reply with the md5 of the exact bytes; anything unsafe or broken leaves a note.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { DEFAULT_TEXTS } from '../../app/config/texts';
import { startFakeDify, type FakeDify } from '../fakes/fakeDify';
import type { StreamReply } from '../fakes/fakeWecom';
import { jpegImage, noisePng, pngImage, webpImage } from '../fakes/images';
import { type Harness, startHarness } from './harness';

const POLL = { pollIntervalMs: 20, maxPolls: 500 };
const LIMIT = 512 * 1024;

interface SentImage {
  bytes: Buffer;
  format: string | undefined;
}

/** Every msg_item must decode to a valid JPG/PNG whose md5 is the field (wecom-aibot-protocol.md §6.2). */
async function imagesOf(reply: StreamReply | undefined): Promise<SentImage[]> {
  const items = (reply?.msg_item ?? []) as Array<{ msgtype: string; image: { base64: string; md5: string } }>;
  const out: SentImage[] = [];
  for (const item of items) {
    expect(item.msgtype).toBe('image');
    const bytes = Buffer.from(item.image.base64, 'base64');
    expect(createHash('md5').update(bytes).digest('hex')).toBe(item.image.md5);
    expect(bytes.length).toBeLessThanOrEqual(LIMIT);
    const { format } = await sharp(bytes).metadata();
    expect(['jpeg', 'png']).toContain(format);
    out.push({ bytes, format });
  }
  return out;
}

function answer(...parts: string[]): Array<Record<string, unknown>> {
  return [...parts.map((text) => ({ event: 'message', answer: text })), { event: 'message_end' }];
}

describe('outbound images', () => {
  let h: Harness;
  let other: FakeDify;

  beforeAll(async () => {
    other = await startFakeDify();
    h = await startHarness({
      apps: [
        { apiKey: 'app-chat', mode: 'chat' },
        { apiKey: 'app-agent', mode: 'agent-chat' },
      ],
      agents: { agent: { apiKey: 'app-agent' } },
      env: { WECOM_AIBOT_AGENT_MAPPING: JSON.stringify({ aibAGENT: 'agent' }) },
    });
  });
  afterAll(async () => {
    await Promise.all([h.close(), other.close()]);
  });

  it('sends a relative chatflow image as a picture and removes its markdown', async () => {
    const png = await pngImage(40, 30);
    const file = h.dify.serveFile({ bytes: png, contentType: 'image/png' });
    h.dify.script('app-chat', {
      kind: 'stream',
      events: answer('这是为你生成的海报：\n\n', `![poster.png](${file.path})`),
    });
    const t = await h.wecom().chat('画一张海报', { ...POLL, userid: 'u-rel' });
    const [image, ...rest] = await imagesOf(t.final);
    expect(rest).toHaveLength(0);
    expect(image?.bytes.equals(png)).toBe(true);
    expect(t.final?.content).toBe('这是为你生成的海报：');
    // While streaming the raw link never showed either.
    for (const s of t.snapshots) expect(s.content).not.toContain('/files/tools');
  });

  it('fetches absolute images on the Dify origin and leaves an image inside a code block alone', async () => {
    const jpg = await jpegImage(20, 20);
    const file = h.dify.serveFile({ bytes: jpg, contentType: 'image/jpeg' });
    const code = '```markdown\n![示例](https://example.invalid/x.png)\n```';
    h.dify.script('app-chat', { kind: 'stream', events: answer(`图片：![a](${file.url})\n\n写法：\n\n${code}`) });
    const t = await h.wecom().chat('给我图和写法', { ...POLL, userid: 'u-abs' });
    expect(await imagesOf(t.final)).toHaveLength(1);
    expect(t.final?.content).toBe(`图片：\n\n写法：\n\n${code}`);
    expect(h.dify.requests.filter((r) => r.path.startsWith('/files/tools')).length).toBeGreaterThan(0);
  });

  it('sends an agent tool image from a message_file event', async () => {
    const png = await pngImage(16, 16);
    const file = h.dify.serveFile({ bytes: png, contentType: 'image/png' });
    h.dify.script('app-agent', {
      kind: 'stream',
      events: [
        { event: 'message_file', id: 'f1', type: 'image', belongs_to: 'assistant', url: file.path },
        { event: 'agent_message', answer: '画好了。' },
        { event: 'message_end' },
      ],
    });
    const t = await h
      .wecom('/wecom/callback/bot1', undefined, 'aibAGENT')
      .chat('画只猫', { ...POLL, userid: 'u-file' });
    expect(await imagesOf(t.final)).toHaveLength(1);
    expect(t.final?.content).toBe('画好了。');
  });

  it('converts a WebP and compresses a 3 MB PNG to JPG/PNG within the limit', async () => {
    const [webp, big] = await Promise.all([webpImage(50, 50), noisePng(3 * 1024 * 1024)]);
    expect(big.length).toBeGreaterThan(3 * 1024 * 1024);
    const a = h.dify.serveFile({ bytes: webp, contentType: 'image/webp' });
    const b = h.dify.serveFile({ bytes: big, contentType: 'image/png' });
    h.dify.script('app-chat', { kind: 'stream', events: answer(`![a](${a.path})\n![b](${b.path})\n两张图`) });
    const t = await h.wecom().chat('两张图', { ...POLL, userid: 'u-big' });
    const images = await imagesOf(t.final);
    expect(images).toHaveLength(2);
    expect(t.final?.content).toBe('两张图');
  }, 30000);

  it('leaves a note for an image that 404s, an expired signature and a disallowed origin', async () => {
    const missing = h.dify.serveFile({ bytes: await pngImage(4, 4), contentType: 'image/png', status: 404 });
    const expired = h.dify.serveFile({ bytes: await pngImage(4, 4), contentType: 'image/png', ttlMs: 1 });
    const foreign = other.serveFile({ bytes: await pngImage(4, 4), contentType: 'image/png' });
    const hitsBefore = other.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 20));
    h.dify.script('app-chat', {
      kind: 'stream',
      events: answer(`一![x](${missing.path})二![y](${expired.path})三![z](${foreign.url})`),
    });
    const t = await h.wecom().chat('三张坏图', { ...POLL, userid: 'u-bad' });
    expect(t.final?.msg_item).toBeUndefined();
    const note = DEFAULT_TEXTS.IMAGE_FAILED;
    expect(t.final?.content).toBe(`一${note}二${note}三${note}`);
    expect(other.requests.length).toBe(hitsBefore);
  });

  it('does not follow a redirect from the Dify origin to a private address', async () => {
    const internal = other.serveFile({ bytes: await pngImage(4, 4), contentType: 'image/png' });
    const hitsBefore = other.requests.length;
    const redirect = h.dify.serveFile({ bytes: Buffer.alloc(0), contentType: 'image/png', redirectTo: internal.url });
    h.dify.script('app-chat', { kind: 'stream', events: answer(`看![r](${redirect.path})`) });
    const t = await h.wecom().chat('重定向', { ...POLL, userid: 'u-redirect' });
    expect(t.final?.content).toBe(`看${DEFAULT_TEXTS.IMAGE_FAILED}`);
    expect(other.requests.length).toBe(hitsBefore);
  });
});
