import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { StreamImage } from '../../store/streamStore';
import type { AgentConfig, MediaConfig } from '../../config';
import { findMarkdownImages, replaceRanges, tidyAfterRemoval } from './answerImages';
import { prepareImageForWecom } from './imageTranscode';
import { type FetchPolicy, safeFetch } from './safeFetch';

/** The final text with image markdown taken out, and the images for `msg_item`. */
export interface DeliveredImages {
  readonly text: string;
  readonly images: readonly StreamImage[];
  /** Images that were found but could not be fetched, converted or sent. */
  readonly failed: number;
}

type Fetched = StreamImage | undefined;

/** How often a growing answer is scanned for new images: Dify's file signatures expire in 300 s. */
const SCAN_INTERVAL_MS = 1000;

/**
 * Collects the images of one answer (dify-api.md §4.7): `message_file` URLs and markdown images
 * found by a real lexer (so code blocks are left alone). Each is fetched as soon as it is seen,
 * while its signature is valid, only from allowed origins (the agent's own and IMAGE_ALLOWED_ORIGINS),
 * and converted to a JPG/PNG small enough for WeCom's final reply (wecom-aibot-protocol.md §6.2).
 */
export class ImageCollector {
  private readonly pending = new Map<string, Promise<Fetched>>();
  private readonly order: string[] = [];
  private lastScan = 0;

  constructor(
    private readonly agent: AgentConfig,
    private readonly media: MediaConfig,
    /** Left in the text where an image could not be delivered. */
    private readonly failedNote: string,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
    private readonly onBytes: (bytes: number) => void = () => undefined,
  ) {}

  add(rawUrl: string): void {
    const url = this.absolute(rawUrl);
    if (url === undefined || this.pending.has(url)) return;
    this.order.push(url);
    this.pending.set(url, this.fetchOne(url));
  }

  /** Called as the answer grows; throttled, since lexing a long answer on every token is wasted work. */
  scan(answer: string): void {
    if (!answer.includes('![') || this.now() - this.lastScan < SCAN_INTERVAL_MS) return;
    this.lastScan = this.now();
    for (const image of findMarkdownImages(answer)) this.add(image.url);
  }

  /** Waits for every image, removes delivered ones from the text and leaves a note for the others. */
  async finish(answer: string): Promise<DeliveredImages> {
    const found = answer.includes('![') ? findMarkdownImages(answer) : [];
    for (const image of found) this.add(image.url);
    const fetched = new Map<string, Fetched>();
    for (const url of this.order) fetched.set(url, await (this.pending.get(url) as Promise<Fetched>));
    const images: StreamImage[] = [];
    const sent = new Set<string>();
    for (const url of this.order) {
      const image = fetched.get(url);
      if (image !== undefined && images.length < this.media.maxImages) {
        images.push(image);
        sent.add(url);
      }
    }
    const replacements = found.map((image) => {
      const url = this.absolute(image.url);
      return { start: image.start, end: image.end, text: url !== undefined && sent.has(url) ? '' : this.failedNote };
    });
    const text =
      replacements.length === 0 ? answer : tidyAfterRemoval(replaceRanges(answer, replacements)).replace(/^\s+/, '');
    return { text, images, failed: this.order.length - sent.size };
  }

  /** Relative `/files/...` URLs point at the agent's Dify (§4.7): its files base, path prefix kept. */
  private absolute(rawUrl: string): string | undefined {
    const trimmed = rawUrl.trim();
    try {
      if (trimmed.startsWith('/') && !trimmed.startsWith('//'))
        return new URL(`${this.agent.filesBaseUrl}${trimmed}`).toString();
      const url = new URL(trimmed, `${this.agent.filesBaseUrl}/`);
      return ['http:', 'https:', 'data:'].includes(url.protocol) ? url.toString() : undefined;
    } catch {
      return undefined;
    }
  }

  private policy(): FetchPolicy {
    const allowed = new Set(this.media.allowedImageOrigins);
    allowed.add(new URL(this.agent.baseUrl).origin);
    allowed.add(new URL(this.agent.filesBaseUrl).origin);
    return {
      allowedOrigins: allowed,
      allowPrivateNetworks: this.media.allowPrivateNetworks,
      maxBytes: this.media.imageFetchMaxBytes,
      timeoutMs: this.media.downloadTimeoutMs,
      maxRedirects: 3,
    };
  }

  /** Models sometimes inline images as `data:image/...;base64,` URLs: no fetch, same size limit. */
  private dataUrlBytes(url: string): Buffer {
    const match = /^data:image\/[\w.+-]+;base64,([A-Za-z0-9+/=\s]+)$/.exec(url);
    const bytes = match === null ? undefined : Buffer.from(match[1] as string, 'base64');
    if (bytes === undefined || bytes.length === 0 || bytes.length > this.media.imageFetchMaxBytes)
      throw Object.assign(new Error('bad data URL'), { code: 'BAD_DATA_URL' });
    return bytes;
  }

  private async fetchOne(url: string): Promise<Fetched> {
    const origin = url.startsWith('data:') ? 'data:' : new URL(url).origin;
    try {
      const bytes = url.startsWith('data:') ? this.dataUrlBytes(url) : (await safeFetch(url, this.policy())).bytes;
      this.onBytes(bytes.length);
      const prepared = await prepareImageForWecom(bytes, this.media.imageMaxBytes);
      return { base64: prepared.bytes.toString('base64'), md5: createHash('md5').update(prepared.bytes).digest('hex') };
    } catch (err) {
      const code = err instanceof Error && 'code' in err ? String((err as { code: unknown }).code) : 'unknown';
      this.logger.warn({ agent: this.agent.id, origin, code }, 'answer image not delivered');
      return undefined;
    }
  }
}
