import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { GatewayError } from '../errors';
import { errorFields } from '../logger';

/**
 * The only error middleware. A GatewayError answers its status with its code (the caller's mistake,
 * logged at warn); anything else is a 500 whose message is not shown (logged at error).
 */
export function sendGatewayError(logger: Logger, req: IncomingMessage, res: ServerResponse, err: unknown): void {
  const gatewayError = err instanceof GatewayError ? err : undefined;
  const status = gatewayError?.status ?? 500;
  const path = (req.url ?? '').split('?')[0];
  if (gatewayError !== undefined) {
    logger.warn({ path, status, code: gatewayError.code, reason: gatewayError.message }, 'callback rejected');
  } else {
    logger.error({ path, err: errorFields(err) }, 'unexpected error');
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = gatewayError?.code ?? 'INTERNAL';
  const headers: Record<string, string> = {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
  };
  if (status === 413) headers['Connection'] = 'close';
  res.writeHead(status, headers).end(body);
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    sendGatewayError(logger, req, res, err);
  };
}
