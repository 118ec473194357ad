/**
 * Writes one SSE response the way a real (or badly proxied) Dify does (dify-api.md §4.1, §9.5):
 * configurable chunking (whole events, glued, fixed byte slices that cut UTF-8 characters,
 * random slices), delays, delayed headers, keep-alive pings between events, and three endings.
 */
import type { ServerResponse } from 'node:http';
import { pingFrame } from './encoding';
import type { Chunking, StreamEnd } from './types';

export interface SseOptions {
  chunking?: Chunking;
  delayMs?: number;
  headerDelayMs?: number;
  end?: StreamEnd;
  pingIntervalMs?: number;
}

/** §4.1: werkzeug appends the charset to text/* mimetypes; body is chunked (no Content-Length). */
const SSE_HEADERS = { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' };

/** Byte ranges [start, end) of the body, one per socket write. */
function writeRanges(length: number, frameEnds: number[], chunking: Chunking): Array<[number, number]> {
  if (chunking === 'glued') return length > 0 ? [[0, length]] : [];
  if (chunking === 'event') return frameEnds.map((end, i) => [i === 0 ? 0 : (frameEnds[i - 1] ?? 0), end]);
  const ranges: Array<[number, number]> = [];
  for (let start = 0; start < length;) {
    const size = chunking === 'random' ? 1 + Math.floor(Math.random() * 48) : Math.max(1, chunking.bytes);
    const end = Math.min(length, start + size);
    ranges.push([start, end]);
    start = end;
  }
  return ranges;
}

export class SseStream {
  private readonly body: Buffer;
  private readonly frameEnds: number[];
  private written = 0;
  private gone = false;
  private stopFrames: Buffer[] | undefined;
  private wake: (() => void) | undefined;
  private pingTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly res: ServerResponse,
    frames: Buffer[],
    private readonly opts: SseOptions,
  ) {
    this.body = Buffer.concat(frames);
    let offset = 0;
    this.frameEnds = frames.map((frame) => (offset += frame.length));
    res.on('close', () => this.markGone());
    // A client that hangs up mid-write must not crash the test process.
    res.on('error', () => this.markGone());
  }

  /** True once the response is over (ended, destroyed, or the client went away). */
  get finished(): boolean {
    return this.gone || this.res.writableEnded;
  }

  /** Streams the body; resolves when the response is over or left hanging. */
  async run(): Promise<void> {
    await this.sleep(this.opts.headerDelayMs ?? 0);
    if (this.gone) return;
    this.res.writeHead(200, SSE_HEADERS);
    this.res.flushHeaders();
    this.startPings();
    const ranges = writeRanges(this.body.length, this.frameEnds, this.opts.chunking ?? 'event');
    for (const [index, [start, end]] of ranges.entries()) {
      if (index > 0) await this.sleep(this.opts.delayMs ?? 0);
      if (this.gone || this.stopFrames) break;
      await this.write(this.body.subarray(start, end));
    }
    await this.finish();
  }

  /**
   * §6.2: a stop ends the stream with `frames` (e.g. message_end). Bytes of a half-written event
   * are completed first so the client never sees a torn event.
   */
  stop(frames: Buffer[]): void {
    if (this.finished || this.stopFrames) return;
    this.stopFrames = frames;
    this.wake?.();
  }

  /** Used by FakeDify.close(): drop the connection of a stream that is still open. */
  abort(): void {
    this.res.socket?.destroy();
    this.markGone();
  }

  private async finish(): Promise<void> {
    if (this.gone) return;
    if (!this.stopFrames && this.opts.end === 'hang') await this.sleep(Infinity);
    if (this.gone) return;
    if (this.stopFrames) return this.finishStopped(this.stopFrames);
    if (this.opts.end === 'destroy') {
      // A dropped connection: no terminating zero-length chunk, the client sees an error.
      this.res.socket?.destroy();
      return this.markGone();
    }
    this.stopPings();
    this.res.end();
  }

  private async finishStopped(frames: Buffer[]): Promise<void> {
    const boundary = this.written === 0 ? 0 : (this.frameEnds.find((end) => end >= this.written) ?? this.body.length);
    if (boundary > this.written) await this.write(this.body.subarray(this.written, boundary));
    for (const frame of frames) await this.write(frame);
    this.stopPings();
    if (!this.gone) this.res.end();
  }

  /** Writes and waits until the bytes are handed to the socket, so `destroy` loses nothing. */
  private write(chunk: Buffer): Promise<void> {
    if (this.gone) return Promise.resolve();
    this.written += chunk.length; // updated before the write so pings see the right boundary
    return new Promise((resolve) => this.res.write(chunk, () => resolve()));
  }

  private startPings(): void {
    const every = this.opts.pingIntervalMs;
    if (!every || every <= 0) return;
    this.pingTimer = setInterval(() => {
      // Pings go only between events (§4.1), never inside a half-written one.
      const atBoundary = this.written === 0 || this.frameEnds.includes(this.written);
      if (!this.gone && atBoundary) this.res.write(pingFrame());
    }, every);
  }

  private stopPings(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = undefined;
  }

  private markGone(): void {
    this.gone = true;
    this.stopPings();
    this.wake?.();
  }

  /** A delay that stop()/abort()/client disconnect cut short; Infinity = wait for those. */
  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
      const wake = (): void => done();
      this.wake = wake;
      function done(): void {
        if (timer) clearTimeout(timer);
        resolve();
      }
    });
  }
}
