import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config';

/**
 * Structured JSON logs (pino). Secrets never reach them: config secrets are non-enumerable, and the
 * code logs ids, codes and timings, never message text, at info level.
 *
 * Without an explicit destination, lines go to stdout through a buffered asynchronous writer: a
 * synchronous write per line cost about a quarter of the CPU of the first-message path in the
 * benchmark's profile. `flushLogs` writes what is buffered (shutdown).
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'wecom-dify-gateway' }, timestamp: pino.stdTimeFunctions.isoTime };
  return pino(options, destination ?? pino.destination({ dest: 1, sync: false, minLength: 4096 }));
}

export function flushLogs(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    logger.flush(() => resolve());
  });
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
