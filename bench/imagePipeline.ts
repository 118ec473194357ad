import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { prepareImageForWecom } from '../app/services/media/imageTranscode';
import { median } from './load/runLoad';

export interface ImagePipeline {
  readonly inputBytes: number;
  readonly outputBytes: number;
  readonly format: string;
  readonly msPerImage: number;
}

/** A random-noise PNG of at least `bytes`: noise does not compress, so it is the hard case. */
async function noisePng(bytes: number): Promise<Buffer> {
  const side = Math.ceil(Math.sqrt(bytes / 3));
  return sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } })
    .png()
    .toBuffer();
}

/** The outbound image step alone, in this process: a 3 MB PNG to a JPG/PNG within 512 KB. */
export async function imagePipeline(runs: number): Promise<ImagePipeline> {
  const input = await noisePng(3 * 1024 * 1024);
  const times: number[] = [];
  let last: { bytes: Buffer; format: string } = { bytes: Buffer.alloc(0), format: '' };
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    last = await prepareImageForWecom(input, 512 * 1024);
    times.push(performance.now() - started);
  }
  return { inputBytes: input.length, outputBytes: last.bytes.length, format: last.format, msPerImage: median(times) };
}
