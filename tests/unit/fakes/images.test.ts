/**
 * Self-test of the sharp-made test images: real formats, sizes and alpha as asked, a noise PNG
 * that reaches its byte target, and md5 (RFC 1321 test vector).
 */
import sharp from 'sharp';
import { gifImage, jpegImage, md5, noisePng, pngImage, webpImage } from '../../fakes/images';

describe('test images', () => {
  it.each([
    ['png', () => pngImage(40, 30), false],
    ['png', () => pngImage(40, 30, { alpha: true }), true],
    ['jpeg', () => jpegImage(40, 30), false],
    ['webp', () => webpImage(40, 30), false],
    ['webp', () => webpImage(40, 30, { alpha: true }), true],
    ['gif', () => gifImage(40, 30), undefined],
  ] as const)('makes a 40×30 %s (alpha %p)', async (format, make, alpha) => {
    const meta = await sharp(await make()).metadata();
    expect(meta).toMatchObject({ format, width: 40, height: 30 });
    if (alpha !== undefined) expect(meta.hasAlpha).toBe(alpha);
  });

  it('makes a noise PNG of at least the target size', async () => {
    const png = await noisePng(60_000);
    expect(png.length).toBeGreaterThanOrEqual(60_000);
    expect(png.length).toBeLessThan(90_000);
    expect((await sharp(png).metadata()).format).toBe('png');
  });

  it('hashes with md5', () => {
    expect(md5(Buffer.from('abc'))).toBe('900150983cd24fb0d6963f7d28e17f72');
  });
});
