import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config';

/**
 * Structured JSON logs (pino). Secrets never reach them: config secrets are non-enumerable, and the
 * code logs ids, codes and timings, never message text, at info level.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'wecom-dify-gateway' }, timestamp: pino.stdTimeFunctions.isoTime };
  return destination === undefined ? pino(options) : pino(options, destination);
}
