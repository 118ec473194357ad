import pino from 'pino';
import sharp from 'sharp';
import { loadConfig } from '../../../../app/config';
import { ImageCollector } from '../../../../app/services/media/outboundImages';

const { config } = loadConfig({
  DIFY_API_KEY: 'app-x',
  DIFY_API_BASE_URL: 'http://127.0.0.1:9/v1',
  WECOM_MAX_IMAGES: '3',
});
const agent = config.agents.byId.get('default');
if (agent === undefined) throw new Error('agent missing');
const logger = pino({ level: 'silent' });

async function dataUrl(width: number): Promise<string> {
  const png = await sharp({ create: { width, height: 4, channels: 3, background: '#0a0' } })
    .png()
    .toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

describe('ImageCollector', () => {
  it('sends inline data-URL images and keeps at most the configured number, noting the rest', async () => {
    const urls = await Promise.all([1, 2, 3, 4].map((w) => dataUrl(w)));
    const answer = urls.map((u, i) => `图${i + 1}![](${u})`).join('\n');
    const collector = new ImageCollector(agent, config.media, '（图片无法显示）', logger);
    const result = await collector.finish(answer);
    expect(result.images).toHaveLength(3);
    expect(result.failed).toBe(1);
    expect(result.text).toBe('图1\n图2\n图3\n图4（图片无法显示）');
  });

  it('does not fetch a disallowed origin nor a non-http scheme, and notes both', async () => {
    const collector = new ImageCollector(agent, config.media, '[x]', logger);
    const result = await collector.finish('a![](http://10.0.0.1/secret.png)b![](file:///etc/passwd)c');
    expect(result.images).toHaveLength(0);
    expect(result.text).toBe('a[x]b[x]c');
  });

  it('leaves an answer without images untouched', async () => {
    const collector = new ImageCollector(agent, config.media, '[x]', logger);
    expect(await collector.finish('纯文本\n\n```\n![a](b)\n```')).toEqual({
      text: '纯文本\n\n```\n![a](b)\n```',
      images: [],
      failed: 0,
    });
  });
});
