import pino, { type DestinationStream, type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import type { LogFormat, LogLevel } from './config';

/**
 * Structured JSON logs (pino). Secrets never reach them: config secrets are non-enumerable, and the
 * code logs ids, codes and timings, never message text, at info level.
 */
export function createLogger(level: LogLevel, destination: DestinationStream = stdoutSink('json')): Logger {
  const options = { level, base: { service: 'wecom-dify-gateway' }, timestamp: pino.stdTimeFunctions.isoTime };
  return pino(options, destination);
}

/** Where the process's lines go: written within FLUSH_EVERY_MS, or at once by flushSync. */
export interface LogSink extends DestinationStream {
  flush(cb?: (err?: Error) => void): void;
  /** Writes every buffered line before it returns: for a crash, where no callback would run any more. */
  flushSync(): void;
  /** Writes what is buffered, stops the flush timer and closes the descriptor (tests; a process just exits). */
  close(): Promise<void>;
}

/** A buffered line waits at most twice this long (a flush that finds a write in flight leaves it to the next). */
export const FLUSH_EVERY_MS = 250;

/**
 * stdout through a buffered asynchronous writer (SonicBoom). A synchronous write per line cost about
 * a quarter of the CPU of the first-message path in the benchmark's profile; an unbuffered asynchronous
 * one (minLength 0) cost 60 % more CPU per line than this in a micro-benchmark, the periodic flush ~2 %.
 * The buffer goes out at 4 KB or on the writer's own unref'd flush timer, so an operator tailing the log
 * sees a line within half a second, and the timer never keeps the process alive.
 *
 * `pretty` formats each line with pino-pretty in this thread, so flushSync still covers every line
 * (pino-pretty's own stream would hold lines in a Transform pipeline a crash does not wait for).
 * `fd` is another descriptor only in tests.
 */
export function stdoutSink(format: 'json' | 'pretty', options: { colors?: boolean; fd?: number } = {}): LogSink {
  const { colors = false, fd = 1 } = options;
  const out = pino.destination({ dest: fd, sync: false, minLength: 4096, periodicFlush: FLUSH_EVERY_MS });
  const pretty =
    format === 'pretty'
      ? prettyFactory({ colorize: colors, translateTime: 'SYS:standard', ignore: 'pid,hostname,service' })
      : undefined;
  return {
    write: pretty === undefined ? (line: string) => out.write(line) : (line: string) => out.write(pretty(line)),
    flush: (cb) => out.flush(cb),
    flushSync: () => out.flushSync(),
    close: () =>
      new Promise((resolve) => {
        out.once('close', () => resolve());
        out.end();
      }),
  };
}

/** LOG_FORMAT=auto: a person reads a terminal, a log collector reads JSON. */
export function resolveLogFormat(format: LogFormat, stdoutIsTty: boolean): 'json' | 'pretty' {
  if (format === 'auto') return stdoutIsTty ? 'pretty' : 'json';
  return format;
}

/**
 * What of an unknown error may be logged: its name, message and stack, never its other fields
 * (an HTTP client error carries the request config, API key header included).
 */
export function errorFields(err: unknown): { name: string; message: string; stack?: string } {
  if (err instanceof Error)
    return { name: err.name, message: err.message, ...(err.stack !== undefined ? { stack: err.stack } : {}) };
  return { name: typeof err, message: String(err) };
}
