/**
 * Real image bytes for media tests, made with sharp so that decoders (the gateway's and
 * WeCom's magic-byte sniffing, wecom-aibot-protocol.md §10) see genuine files. Independent of
 * app/. Images are a two-colour gradient rather than flat so encoders do some real work.
 */
import { createHash, randomBytes } from 'node:crypto';
import sharp from 'sharp';

/** Raw pixels: a horizontal/vertical gradient, with a half-transparent alpha when `channels` is 4. */
function gradient(width: number, height: number, channels: 3 | 4): Buffer {
  const raw = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * channels;
      raw[at] = Math.floor((255 * x) / Math.max(1, width - 1));
      raw[at + 1] = Math.floor((255 * y) / Math.max(1, height - 1));
      raw[at + 2] = 128;
      if (channels === 4) raw[at + 3] = x < width / 2 ? 128 : 255;
    }
  }
  return raw;
}

function base(width: number, height: number, alpha = false): sharp.Sharp {
  const channels = alpha ? 4 : 3;
  return sharp(gradient(width, height, channels), { raw: { width, height, channels } });
}

export function pngImage(width: number, height: number, opts: { alpha?: boolean } = {}): Promise<Buffer> {
  return base(width, height, opts.alpha).png().toBuffer();
}

export function jpegImage(width: number, height: number): Promise<Buffer> {
  return base(width, height).jpeg({ quality: 90 }).toBuffer();
}

export function webpImage(width: number, height: number, opts: { alpha?: boolean } = {}): Promise<Buffer> {
  return base(width, height, opts.alpha).webp({ quality: 90 }).toBuffer();
}

export function gifImage(width: number, height: number): Promise<Buffer> {
  return base(width, height).gif().toBuffer();
}

/**
 * A random-noise RGB PNG of at least `targetBytes` (e.g. 3 MB to exceed an upload limit).
 * Noise does not compress, so a square of ≥ target/3 pixels comes out at about 3 bytes per
 * pixel; the loop grows it by 10 % in the unlikely case the encoder still lands short.
 */
export async function noisePng(targetBytes: number): Promise<Buffer> {
  let side = Math.max(1, Math.ceil(Math.sqrt(targetBytes / 3)));
  for (let attempt = 0; attempt < 10; attempt++) {
    const png = await sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } })
      .png({ compressionLevel: 1 })
      .toBuffer();
    if (png.length >= targetBytes) return png;
    side = Math.ceil(side * 1.1);
  }
  throw new Error(`could not make a noise PNG of ${targetBytes} bytes`);
}

/** Lowercase hex MD5, to compare bytes across the gateway (e.g. with FakeDify `uploads[].md5`). */
export function md5(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('hex');
}
