import type sharp from 'sharp';

/**
 * Turns any image an answer refers to into what WeCom's final stream reply accepts: `msg_item`
 * images must be JPG or PNG (wecom-aibot-protocol.md §6.2, §15.11). The documented raw limit is 10 MB,
 * but peers saw WeCom reject a final reply of ~2 MB, so the caller passes a much smaller `maxBytes`
 * and every image is shrunk until it fits.
 */
export type ImageErrorCode = 'NOT_AN_IMAGE' | 'TOO_LARGE_AFTER_COMPRESSION';

export class ImageError extends Error {
  readonly code: ImageErrorCode;
  constructor(code: ImageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImageError';
    this.code = code;
  }
}

export interface PreparedImage {
  readonly bytes: Buffer;
  readonly format: 'jpeg' | 'png';
  readonly width: number;
  readonly height: number;
}

/** Bounds decoding memory: a 50 MP RGBA image is already ~200 MB of pixels. */
const MAX_INPUT_PIXELS = 50_000_000;
const MAX_ATTEMPTS = 6;
/** A transparent image that still does not fit after this many PNG attempts goes on white as JPEG. */
const PNG_ATTEMPTS_BEFORE_FLATTEN = 2;
const JPEG_QUALITIES = [82, 72, 62, 52, 45];
/**
 * Photos need well over 1/8 byte per pixel as JPEG, so an image with more than this many pixels per
 * budget byte cannot fit at full size: the first attempt starts there, sparing a slow full-size encode.
 */
const MAX_PIXELS_PER_BUDGET_BYTE = 8;

interface Plan {
  readonly format: 'jpeg' | 'png';
  readonly width: number;
  readonly height: number;
  readonly quality: number;
}

/**
 * sharp (libvips) is loaded on the first image, not at start: it adds about 10 MB of RSS to every
 * gateway, and many deployments never send a picture (issue 14's idle-memory budget).
 */
let sharpModule: typeof sharp | undefined;

async function loadSharp(): Promise<typeof sharp> {
  sharpModule ??= (await import('sharp')).default;
  return sharpModule;
}

function open(input: Buffer): sharp.Sharp {
  if (sharpModule === undefined) throw new Error('sharp is not loaded yet');
  // `pages: 1`: only the first frame of an animated GIF/WebP; WeCom shows stills only.
  return sharpModule(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', pages: 1 });
}

function notAnImage(cause: unknown): ImageError {
  return new ImageError('NOT_AN_IMAGE', 'the bytes are not a decodable image', { cause });
}

async function readMetadata(input: Buffer): Promise<sharp.Metadata> {
  try {
    const meta = await open(input).metadata();
    if (meta.width === undefined || meta.height === undefined) throw new Error('no dimensions');
    return meta;
  } catch (err) {
    throw notAnImage(err);
  }
}

/** EXIF orientations 5–8 swap width and height once applied. */
function orientedSize(meta: sharp.Metadata): { width: number; height: number } {
  const width = meta.width ?? 1;
  const height = meta.height ?? 1;
  return (meta.orientation ?? 1) >= 5 ? { width: height, height: width } : { width, height };
}

/** "Real" transparency: an alpha channel with at least one pixel that is not fully opaque. */
async function isTransparent(input: Buffer, meta: sharp.Metadata): Promise<boolean> {
  if (meta.hasAlpha !== true) return false;
  try {
    return !(await open(input).stats()).isOpaque;
  } catch (err) {
    throw notAnImage(err);
  }
}

function encoderFor(pipeline: sharp.Sharp, plan: Plan): sharp.Sharp {
  // Low effort: quantising noisy images is otherwise the slowest step, for no gain in size.
  if (plan.format === 'png') return pipeline.png({ palette: true, compressionLevel: 9, effort: 2 });
  // JPEG has no alpha: transparent pixels would otherwise come out black.
  return pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: plan.quality, mozjpeg: true, progressive: true });
}

async function encode(input: Buffer, plan: Plan): Promise<PreparedImage> {
  // `rotate()` without an angle applies the EXIF orientation; the output carries no EXIF.
  const pipeline = open(input).rotate().resize(plan.width, plan.height, { fit: 'fill' });
  try {
    const { data, info } = await encoderFor(pipeline, plan).toBuffer({ resolveWithObject: true });
    return { bytes: data, format: plan.format, width: info.width, height: info.height };
  } catch (err) {
    throw notAnImage(err);
  }
}

/** Shrinks the pixel count in proportion to the overshoot, with a 10 % margin; never upscales. */
function smaller(plan: Plan, size: number, maxBytes: number, base: { width: number; height: number }): Plan {
  const factor = Math.min(1, Math.sqrt(maxBytes / size) * 0.9);
  const width = Math.max(1, Math.min(base.width, Math.round(plan.width * factor)));
  const height = Math.max(1, Math.min(base.height, Math.round(plan.height * factor)));
  return { ...plan, width, height };
}

function firstPlan(format: Plan['format'], base: { width: number; height: number }, maxBytes: number): Plan {
  const pixelBudget = maxBytes * MAX_PIXELS_PER_BUDGET_BYTE;
  const factor = Math.min(1, Math.sqrt(pixelBudget / (base.width * base.height)));
  const width = Math.max(1, Math.round(base.width * factor));
  const height = Math.max(1, Math.round(base.height * factor));
  return { format, width, height, quality: JPEG_QUALITIES[0] as number };
}

function canPassThrough(input: Buffer, meta: sharp.Metadata, maxBytes: number): boolean {
  const wecomFormat = meta.format === 'jpeg' || meta.format === 'png';
  return wecomFormat && input.length <= maxBytes && (meta.orientation ?? 1) === 1;
}

function nextQuality(quality: number): number {
  return JPEG_QUALITIES.find((q) => q < quality) ?? quality;
}

/**
 * A JPEG/PNG that already fits and needs no rotation is returned as is (same bytes, same md5).
 * Anything else is re-encoded: PNG when it has real transparency, else JPEG; then, while too big,
 * smaller dimensions and a lower JPEG quality, at most MAX_ATTEMPTS encodes.
 */
export async function prepareImageForWecom(input: Buffer, maxBytes: number): Promise<PreparedImage> {
  await loadSharp();
  const meta = await readMetadata(input);
  if (canPassThrough(input, meta, maxBytes)) {
    return { bytes: input, format: meta.format as 'jpeg' | 'png', width: meta.width ?? 0, height: meta.height ?? 0 };
  }
  const base = orientedSize(meta);
  let plan = firstPlan((await isTransparent(input, meta)) ? 'png' : 'jpeg', base, maxBytes);
  let smallest = Number.POSITIVE_INFINITY;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const result = await encode(input, plan);
    if (result.bytes.length <= maxBytes) return result;
    smallest = Math.min(smallest, result.bytes.length);
    plan = smaller(plan, result.bytes.length, maxBytes, base);
    if (plan.format === 'png' && attempt >= PNG_ATTEMPTS_BEFORE_FLATTEN) plan = { ...plan, format: 'jpeg' };
    else if (plan.format === 'jpeg') plan = { ...plan, quality: nextQuality(plan.quality) };
  }
  throw new ImageError('TOO_LARGE_AFTER_COMPRESSION', `smallest encoding was ${smallest} bytes, limit ${maxBytes}`);
}
