import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { GatewayError } from '../errors';
import { errorFields } from '../logger';

/**
 * The only error middleware. A GatewayError answers its status with its code (the caller's mistake,
 * logged at warn); anything else is a 500 whose message is not shown (logged at error).
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const gatewayError = err instanceof GatewayError ? err : undefined;
    const status = gatewayError?.status ?? 500;
    if (gatewayError !== undefined) {
      logger.warn({ path: req.path, status, code: gatewayError.code, reason: gatewayError.message }, 'callback rejected');
    } else {
      logger.error({ path: req.path, err: errorFields(err) }, 'unexpected error');
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (status === 413) res.setHeader('Connection', 'close');
    res.status(status).type('text/plain').send(gatewayError?.code ?? 'INTERNAL');
  };
}
