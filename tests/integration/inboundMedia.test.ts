/**
 * Images and files from the user reach the agent (issue #3 scope 1): a media server serves bytes
 * encrypted like WeCom, the gateway decrypts and uploads them to the fake Dify, which records what it
 * received; the chat request carries them in `files`.
 */
import { DEFAULT_TEXTS } from '../../app/config/texts';
import { imagePayload, mixedPayload, startMediaServer, type MediaServer, filePayload } from '../fakes/fakeWecom';
import { md5, pngImage } from '../fakes/images';
import { BOT, type Harness, startHarness } from './harness';

const POLL = { pollIntervalMs: 20, maxPolls: 500 };
const VISION = { file_upload: { enabled: true, allowed_file_types: ['image', 'document'], image: { enabled: true } } };

describe('inbound media', () => {
  let h: Harness;
  let media: MediaServer;

  beforeAll(async () => {
    media = await startMediaServer();
    h = await startHarness({
      apps: [
        { apiKey: 'app-vision', mode: 'chat', parameters: VISION },
        { apiKey: 'app-text', mode: 'chat' },
      ],
      agents: { text: { apiKey: 'app-text' } },
      env: { WECOM_AIBOT_AGENT_MAPPING: JSON.stringify({ aibTEXT: 'text' }) },
    });
  });
  afterAll(async () => {
    await Promise.all([h.close(), media.close()]);
  });

  function lastRun(apiKey: string): { query: string; files?: Array<Record<string, unknown>>; user: string } {
    return h.dify.runRequests(apiKey).at(-1)?.body as {
      query: string;
      files?: Array<Record<string, unknown>>;
      user: string;
    };
  }

  it('decrypts a photo, uploads the exact bytes with the same user and passes it in files', async () => {
    const photo = await pngImage(64, 48);
    const url = media.serve({ plain: photo, encodingAesKey: BOT.encodingAesKey, fileName: '照片.png' });
    const client = h.wecom();
    const t = await client.chatPayload(imagePayload(url, { aibotid: client.aibotid, userid: 'photo-user' }), POLL);
    expect(t.final?.finish).toBe(true);
    const upload = h.dify.uploads.at(-1);
    expect(upload).toMatchObject({
      apiKey: 'app-vision',
      user: 'wecom:aibFAKEBOT0001:photo-user',
      filename: '照片.png',
      mimeType: 'image/png',
      md5: md5(photo),
    });
    const run = lastRun('app-vision');
    expect(run.files).toEqual([{ type: 'image', transfer_method: 'local_file', upload_file_id: upload?.id }]);
    expect(run.query).toBe(`[图片1]\n${DEFAULT_TEXTS.QUERY_ATTACHMENTS_ONLY}`);
    expect(run.user).toBe(upload?.user);
  });

  it('keeps the order of text and images of a mixed group message', async () => {
    const [a, b] = await Promise.all([pngImage(10, 10), pngImage(20, 20)]);
    const items = [
      { msgtype: 'text' as const, text: { content: '@RobotA 比较一下' } },
      {
        msgtype: 'image' as const,
        image: { url: media.serve({ plain: a as Buffer, encodingAesKey: BOT.encodingAesKey }) },
      },
      { msgtype: 'text' as const, text: { content: '和这张' } },
      {
        msgtype: 'image' as const,
        image: { url: media.serve({ plain: b as Buffer, encodingAesKey: BOT.encodingAesKey }) },
      },
    ];
    const client = h.wecom();
    await client.chatPayload(
      mixedPayload(items, { aibotid: client.aibotid, chattype: 'group', userid: 'mixed-user' }),
      POLL,
    );
    const run = lastRun('app-vision');
    expect(run.query).toBe('比较一下\n[图片1]\n和这张\n[图片2]');
    const uploads = h.dify.uploads.slice(-2);
    expect(uploads.map((u) => u.md5)).toEqual([md5(a as Buffer), md5(b as Buffer)]);
    expect(run.files?.map((f) => f['upload_file_id'])).toEqual(uploads.map((u) => u.id));
  });

  it('attaches a quoted image to a text question', async () => {
    const quoted = await pngImage(30, 30);
    const client = h.wecom();
    await client.chat('这张图里写的是什么？', {
      ...POLL,
      userid: 'quote-user',
      quote: { msgtype: 'image', image: { url: media.serve({ plain: quoted, encodingAesKey: BOT.encodingAesKey }) } },
    });
    expect(h.dify.uploads.at(-1)?.md5).toBe(md5(quoted));
    expect(lastRun('app-vision').query).toBe(`${DEFAULT_TEXTS.QUERY_QUOTE_INTRO}\n[图片1]\n\n这张图里写的是什么？`);
  });

  it('tells the user which image expired and answers the rest', async () => {
    const good = await pngImage(12, 12);
    const items = [
      { msgtype: 'text' as const, text: { content: '看看这两张' } },
      { msgtype: 'image' as const, image: { url: media.serve({ plain: good, encodingAesKey: BOT.encodingAesKey }) } },
      {
        msgtype: 'image' as const,
        image: { url: media.serve({ plain: good, encodingAesKey: BOT.encodingAesKey, expired: true }) },
      },
    ];
    const client = h.wecom();
    const t = await client.chatPayload(mixedPayload(items, { aibotid: client.aibotid, userid: 'expired-user' }), POLL);
    expect(lastRun('app-vision').query).toBe('看看这两张\n[图片1]\n[图片2（未能读取）]');
    expect(lastRun('app-vision').files).toHaveLength(1);
    expect(t.final?.content).toContain('收到：看看这两张');
    expect(t.final?.content.endsWith(DEFAULT_TEXTS.ATTACHMENT_FAILED.replace('{name}', '第2张图片'))).toBe(true);
  });

  it('tells the user when Dify refuses the upload and still answers', async () => {
    h.dify.failNextUpload('app-vision', 413, { code: 'file_too_large', message: '', status: 413 });
    const client = h.wecom();
    const url = media.serve({ plain: await pngImage(8, 8), encodingAesKey: BOT.encodingAesKey });
    const t = await client.chatPayload(imagePayload(url, { aibotid: client.aibotid, userid: 'refused-user' }), POLL);
    expect(lastRun('app-vision').files).toBeUndefined();
    expect(t.final?.content.endsWith(DEFAULT_TEXTS.ATTACHMENT_FAILED.replace('{name}', '图片'))).toBe(true);
  });

  it('does not upload to an app whose file upload is off, and says so', async () => {
    const before = h.dify.uploads.length;
    const client = h.wecom('/wecom/callback/bot1', BOT, 'aibTEXT');
    const url = media.serve({ plain: await pngImage(8, 8), encodingAesKey: BOT.encodingAesKey });
    const t = await client.chatPayload(imagePayload(url, { aibotid: client.aibotid, userid: 'novision-user' }), POLL);
    expect(h.dify.uploads.length).toBe(before);
    expect(t.final?.content.endsWith(DEFAULT_TEXTS.ATTACHMENT_NOT_ACCEPTED.replace('{name}', '图片'))).toBe(true);
  });

  it('uploads a file with its Content-Disposition name as a document', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2000, 65)]);
    const client = h.wecom();
    const url = media.serve({ plain: pdf, encodingAesKey: BOT.encodingAesKey, fileName: '季度报告.pdf' });
    await client.chatPayload(filePayload(url, { aibotid: client.aibotid, userid: 'file-user' }), POLL);
    expect(h.dify.uploads.at(-1)).toMatchObject({
      filename: '季度报告.pdf',
      mimeType: 'application/pdf',
      md5: md5(pdf),
    });
    expect(lastRun('app-vision').files?.[0]).toMatchObject({ type: 'document' });
    expect(lastRun('app-vision').query).toBe(`[文件：季度报告.pdf]\n${DEFAULT_TEXTS.QUERY_ATTACHMENTS_ONLY}`);
  });
});
