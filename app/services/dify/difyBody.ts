import type { IncomingMessage } from 'node:http';
import { DifyError } from './difyErrors';

/*
 * The reading side of one Dify streaming request (DifyHttp opens it): the idle watch, the body read by
 * listeners, and how a break-off maps to a DifyError. Kept lean on purpose: one of these lives per open
 * turn, thousands at a time (issue #14 scope 3).
 */

/**
 * Ends a request when no byte arrived for `ms`; also covers the wait for response headers (dify-api.md
 * §5.4). It destroys the request itself rather than aborting a signal of its own: an AbortController
 * chained to the turn's signal costs ~1 KB per open turn (issue #14 scope 3).
 */
export class IdleWatch {
  private readonly timer: NodeJS.Timeout;
  private target: { destroy(err: Error): void } | undefined;
  fired = false;

  constructor(ms: number) {
    this.timer = setTimeout(() => {
      this.fired = true;
      this.target?.destroy(new DifyError({ kind: 'idle_timeout' }));
    }, ms);
  }

  watch(target: { destroy(err: Error): void }): void {
    this.target = target;
  }

  touch(): void {
    this.timer.refresh();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.target = undefined;
  }
}

/** An open Dify event stream, read by pushing its chunks (no async iterators: they cost heap per open turn). */
export interface DifyBody {
  /** Feeds every chunk to `onChunk` until the body ends; rejects with a DifyError when it breaks off. */
  read(onChunk: (chunk: Buffer) => void): Promise<void>;
  /** Stops reading early with `reason` (the grace after a terminal event, dify-api.md §4.4). */
  cancel(reason: DifyError): void;
}

/** The caller's abort reason when it is a DifyError (the turn aborts with `deadline`), else `deadline`. */
export function abortedError(signal: AbortSignal): DifyError {
  return signal.reason instanceof DifyError ? signal.reason : new DifyError({ kind: 'deadline' });
}

export function toDifyError(err: unknown, idle: IdleWatch, signal: AbortSignal, started: boolean): DifyError {
  if (err instanceof DifyError) return err;
  if (idle.fired) return new DifyError({ kind: 'idle_timeout' });
  if (signal.aborted) return abortedError(signal);
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
  const reason = code !== '' && code !== 'undefined' ? code : err instanceof Error ? err.message : 'unknown error';
  return new DifyError(started ? { kind: 'connection_lost', reason } : { kind: 'network', reason });
}

/**
 * Reads the body with listeners, not `for await`: a stream's async iterator keeps a generator, its
 * promises and seven end-of-stream listeners per open turn. The turn's signal needs no listener here:
 * post() destroys the request when it aborts, and the response then fails.
 */
export function readBody(
  stream: IncomingMessage,
  idle: IdleWatch,
  signal: AbortSignal,
  onChunk: (chunk: Buffer) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      idle.stop();
      stream.destroy();
      if (err === undefined && !signal.aborted) resolve();
      // An error of `onChunk` (a bug in the turn) is not Dify's: it is passed on as it is.
      else
        reject(err instanceof CallbackError ? err.cause : toDifyError(err ?? new Error('aborted'), idle, signal, true));
    };
    stream.on('data', (chunk: Buffer) => {
      if (settled) return;
      idle.touch();
      try {
        onChunk(chunk);
      } catch (err) {
        settle(new CallbackError(err));
      }
    });
    stream.once('end', () => settle());
    stream.once('error', settle);
    // A socket that closes without 'end' cut the body short.
    stream.once('close', () => settle(new Error('closed before the end of the stream')));
  });
}

/** Marks an error thrown by the reader's callback, so it is not mistaken for a broken connection. */
class CallbackError extends Error {
  constructor(override readonly cause: unknown) {
    super('chunk callback failed');
  }
}
