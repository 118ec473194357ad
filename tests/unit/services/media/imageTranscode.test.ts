import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { ImageError, prepareImageForWecom } from '../../../../app/services/media/imageTranscode';

const LIMIT = 512 * 1024;

function solid(width: number, height: number, background: sharp.Color, channels: 3 | 4 = 3): sharp.Sharp {
  return sharp({ create: { width, height, channels, background } });
}

function noise(width: number, height: number, channels: 3 | 4): sharp.Sharp {
  return sharp(randomBytes(width * height * channels), { raw: { width, height, channels } });
}

async function expectImageError(promise: Promise<unknown>, code: string): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ImageError);
  expect((error as ImageError).code).toBe(code);
}

describe('prepareImageForWecom: JPG/PNG only (wecom-aibot-protocol.md §6.2, §15.11)', () => {
  it('returns a small PNG byte for byte', async () => {
    const png = await solid(16, 16, '#0a0').png().toBuffer();
    const result = await prepareImageForWecom(png, LIMIT);
    expect(result.bytes).toBe(png);
    expect(result).toMatchObject({ format: 'png', width: 16, height: 16 });
  });

  it('returns a small JPEG byte for byte', async () => {
    const jpeg = await solid(20, 10, '#00f').jpeg().toBuffer();
    const result = await prepareImageForWecom(jpeg, LIMIT);
    expect(result.bytes.equals(jpeg)).toBe(true);
    expect(result).toMatchObject({ format: 'jpeg', width: 20, height: 10 });
  });

  it('converts an opaque WebP to JPEG', async () => {
    const webp = await solid(32, 24, '#f80').webp().toBuffer();
    const result = await prepareImageForWecom(webp, LIMIT);
    const meta = await sharp(result.bytes).metadata();
    expect(result).toMatchObject({ format: 'jpeg', width: 32, height: 24 });
    expect(meta).toMatchObject({ format: 'jpeg', width: 32, height: 24 });
  });

  it('converts a transparent WebP to PNG and keeps the alpha', async () => {
    const webp = await solid(32, 32, { r: 255, g: 0, b: 0, alpha: 0.5 }, 4).webp({ lossless: true }).toBuffer();
    const result = await prepareImageForWecom(webp, LIMIT);
    const meta = await sharp(result.bytes).metadata();
    expect(result.format).toBe('png');
    expect(meta).toMatchObject({ format: 'png', width: 32, height: 32, hasAlpha: true });
  });

  it('treats an alpha channel that is fully opaque as no transparency', async () => {
    const pixels = randomBytes(400 * 400 * 4);
    for (let i = 3; i < pixels.length; i += 4) pixels[i] = 255;
    const png = await sharp(pixels, { raw: { width: 400, height: 400, channels: 4 } })
      .png()
      .toBuffer();
    expect((await sharp(png).metadata()).hasAlpha).toBe(true);
    expect(png.length).toBeGreaterThan(LIMIT);
    const result = await prepareImageForWecom(png, LIMIT);
    expect(result.format).toBe('jpeg');
    expect(result.bytes.length).toBeLessThanOrEqual(LIMIT);
  });

  it('takes the first frame of an animated GIF', async () => {
    const frames = Buffer.concat([Buffer.alloc(8 * 8 * 3, 0), Buffer.alloc(8 * 8 * 3, 255)]);
    const gif = await sharp(frames, { raw: { width: 8, height: 16, channels: 3, pageHeight: 8 } })
      .gif()
      .toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(2);
    const result = await prepareImageForWecom(gif, LIMIT);
    expect(result).toMatchObject({ format: 'jpeg', width: 8, height: 8 });
    const { channels } = await sharp(result.bytes).stats();
    expect(channels[0]?.mean).toBeLessThan(16);
  });

  it('applies the EXIF orientation even when the JPEG is small enough', async () => {
    const jpeg = await solid(40, 20, '#888').jpeg().withMetadata({ orientation: 6 }).toBuffer();
    expect((await sharp(jpeg).metadata()).orientation).toBe(6);
    const result = await prepareImageForWecom(jpeg, LIMIT);
    const meta = await sharp(result.bytes).metadata();
    expect(result).toMatchObject({ format: 'jpeg', width: 20, height: 40 });
    expect(meta.orientation ?? 1).toBe(1);
    expect(meta).toMatchObject({ width: 20, height: 40 });
  });

  it('shrinks a ~3 MB noise PNG below 512 KB within a few seconds', async () => {
    const png = await noise(1000, 1000, 3).png().toBuffer();
    expect(png.length).toBeGreaterThan(2_500_000);
    const started = performance.now();
    const result = await prepareImageForWecom(png, LIMIT);
    const elapsed = performance.now() - started;
    expect(result.bytes.length).toBeLessThanOrEqual(LIMIT);
    const meta = await sharp(result.bytes).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: result.width, height: result.height });
    expect(result.width).toBeLessThan(1000);
    expect(result.width).toBe(result.height);
    expect(elapsed).toBeLessThan(4000);
  });

  it('keeps a transparent image as PNG while it fits after shrinking', async () => {
    const png = await noise(600, 600, 4).png().toBuffer();
    const result = await prepareImageForWecom(png, LIMIT);
    expect(result.bytes.length).toBeLessThanOrEqual(LIMIT);
    expect((await sharp(result.bytes).metadata()).format).toBe('png');
  });

  it('flattens a transparent image to JPEG when two PNG attempts do not fit', async () => {
    const png = await noise(100, 100, 4).png().toBuffer();
    const result = await prepareImageForWecom(png, 1500);
    expect(result.bytes.length).toBeLessThanOrEqual(1500);
    expect(result.format).toBe('jpeg');
    expect((await sharp(result.bytes).metadata()).format).toBe('jpeg');
  });

  it('re-encodes a PNG over the limit as JPEG without upscaling', async () => {
    const png = await noise(300, 200, 3).png().toBuffer();
    const result = await prepareImageForWecom(png, 100 * 1024);
    expect(result.bytes.length).toBeLessThanOrEqual(100 * 1024);
    expect(result.format).toBe('jpeg');
    expect(result.width).toBeLessThanOrEqual(300);
    expect(result.height).toBeLessThanOrEqual(200);
  });

  it('rejects bytes that are not an image', async () => {
    await expectImageError(prepareImageForWecom(Buffer.from('definitely not an image'), LIMIT), 'NOT_AN_IMAGE');
    await expectImageError(prepareImageForWecom(Buffer.alloc(0), LIMIT), 'NOT_AN_IMAGE');
  });

  it('rejects a truncated image that has to be decoded', async () => {
    const png = await noise(400, 400, 3).png().toBuffer();
    await expectImageError(prepareImageForWecom(png.subarray(0, 20_000), 10_000), 'NOT_AN_IMAGE');
  });

  it('gives up on an impossible limit', async () => {
    const png = await noise(200, 200, 3).png().toBuffer();
    await expectImageError(prepareImageForWecom(png, 200), 'TOO_LARGE_AFTER_COMPRESSION');
  });
});
