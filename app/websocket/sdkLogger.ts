import type { Logger as SdkLogger } from '@wecom/aibot-node-sdk';
import type { Logger } from 'pino';

/**
 * The SDK's own log lines, routed into pino. Its info lines (connecting, chunk uploads, downloads)
 * are chatter for us: debug. Extra arguments can hold whole frames (user text) or a JSON parse error
 * quoting one, so they are kept at debug only; above it, only the SDK's message string is logged.
 */
export function sdkLogger(logger: Logger): SdkLogger {
  const extras = (args: unknown[]): Record<string, unknown> =>
    args.length === 0 ? {} : { args: args.map((a) => (a instanceof Error ? a.message : a)) };
  return {
    debug: (message: string, ...args: unknown[]) => logger.debug({ sdk: true, ...extras(args) }, message),
    info: (message: string, ...args: unknown[]) => logger.debug({ sdk: true, ...extras(args) }, message),
    warn: (message: string) => logger.warn({ sdk: true }, message),
    error: (message: string) => logger.error({ sdk: true }, message),
  };
}
