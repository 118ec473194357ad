/**
 * Self-test of the fake WeCom media bucket (wecom-aibot-protocol.md §5.4–§5.7, §10). The
 * decryption below is written here with node:crypto, independently of mediaServer.ts: key =
 * base64(key43 + '='), IV = key[0..16), auto-padding off, PKCS#7 pad of 1..32 stripped by hand.
 */
import { createDecipheriv, randomBytes } from 'node:crypto';
import { encryptWecomMedia, startMediaServer, type MediaServer } from '../../fakes/fakeWecom';
import { rawRequest } from './rawHttp';

/** The protocol reference's AI-bot key (§14.2). */
const KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';

function decryptMedia(cipherBytes: Buffer, encodingAesKey: string): Buffer {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  const padded = Buffer.concat([decipher.update(cipherBytes), decipher.final()]);
  const pad = padded[padded.length - 1] ?? 0;
  if (pad < 1 || pad > 32 || !padded.subarray(padded.length - pad).every((b) => b === pad))
    throw new Error(`bad pad ${pad}`);
  return padded.subarray(0, padded.length - pad);
}

let media: MediaServer;
beforeAll(async () => {
  media = await startMediaServer();
});
afterAll(() => media.close());

describe('encrypted media (§10)', () => {
  it.each([0, 1, 31, 32, 33, 5000])('serves %i plain bytes encrypted, padded to 32-byte blocks', async (size) => {
    const plain = randomBytes(size);
    const url = media.serve({ plain, encodingAesKey: KEY });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ww-aibot-img\/[0-9a-f]{32}\?sign=q-sign-algorithm%3Dsha1/);
    const res = await rawRequest(url);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['content-disposition']).toBeUndefined();
    expect(res.body.length).toBe(size + (32 - (size % 32)));
    expect(decryptMedia(res.body, KEY).equals(plain)).toBe(true);
  });

  it('exports the same cipher for direct use', () => {
    const plain = Buffer.from('‰PNG not really');
    const sealed = encryptWecomMedia(plain, KEY);
    expect(sealed.equals(plain)).toBe(false);
    expect(decryptMedia(sealed, KEY).equals(plain)).toBe(true);
    expect(() => encryptWecomMedia(plain, 'short')).toThrow(/32 bytes/);
  });

  it('names the file in Content-Disposition (raw UTF-8 filename and RFC 5987 filename*)', async () => {
    const name = '季度报告 "终版".pdf';
    const res = await rawRequest(
      media.serve({
        plain: Buffer.from('%PDF-1.7'),
        encodingAesKey: KEY,
        fileName: name,
        contentType: 'application/pdf',
      }),
    );
    expect(res.headers['content-type']).toBe('application/pdf');
    const header = String(res.headers['content-disposition']);
    const star = /filename\*=UTF-8''([^;]+)/.exec(header)?.[1] ?? '';
    expect(decodeURIComponent(star)).toBe(name);
    // Node hands header bytes over as latin1; re-reading them as UTF-8 gives the quoted name.
    const quoted = /filename="((?:[^"\\]|\\.)*)"/.exec(Buffer.from(header, 'latin1').toString('utf8'))?.[1] ?? '';
    expect(quoted.replace(/\\(.)/g, '$1')).toBe(name);
  });
});

describe('failures and timing', () => {
  it('answers an expired URL with 403 and COS AccessDenied XML', async () => {
    const res = await rawRequest(media.serve({ plain: Buffer.from('x'), encodingAesKey: KEY, expired: true }));
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toBe('application/xml');
    const xml = res.body.toString('utf8');
    expect(xml).toContain('<Code>AccessDenied</Code>');
    expect(xml).toContain('<Message>Request has expired</Message>');
  });

  it('answers a forced status, an unknown id (404) and a tampered sign (403)', async () => {
    const url = media.serve({ plain: Buffer.from('x'), encodingAesKey: KEY, status: 500 });
    expect((await rawRequest(url)).status).toBe(500);
    const ok = media.serve({ plain: Buffer.from('x'), encodingAesKey: KEY });
    expect((await rawRequest(ok.replace(/\/ww-aibot-img\/[0-9a-f]+/, '/ww-aibot-img/ffff'))).status).toBe(404);
    expect((await rawRequest(ok.replace(/sign=.*$/, 'sign=forged'))).status).toBe(403);
    expect((await rawRequest(ok)).status).toBe(200);
  });

  it('waits delayMs before answering and records every hit', async () => {
    const before = media.hits.length;
    const url = media.serve({ plain: Buffer.from('slow'), encodingAesKey: KEY, delayMs: 120 });
    const started = Date.now();
    const res = await rawRequest(url);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    expect(decryptMedia(res.body, KEY).toString()).toBe('slow');
    expect(media.hits.slice(before)).toEqual([{ path: new URL(url).pathname, at: expect.any(Number) }]);
  });
});
