import express, { type ErrorRequestHandler, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import { errorFields } from '../../logger';

/** Requests of the HIL clients are small JSON documents; a task sync is the biggest (hil.md §2.7). */
export const HIL_BODY_LIMIT = '1mb';

/**
 * JSON bodies whatever the content type says: GoHumanLoop sends `Content-Type: application/json`
 * on every call (GET included, hil.md §2.2) and some clients send none.
 */
export const jsonBody: RequestHandler = express.json({ limit: HIL_BODY_LIMIT, type: () => true });

/** The hub's login is an OAuth2 password form (application/x-www-form-urlencoded). */
export const formBody: RequestHandler = express.urlencoded({ limit: '16kb', extended: false });

/** Every answer of the HIL API is JSON with `success` (hil.md §2.10): a client reads nothing else. */
export function fail(res: Response, status: number, error: string, extra: Record<string, unknown> = {}): void {
  res.status(status).json({ success: false, error, ...extra });
}

/** An async handler whose unexpected failure is a JSON 500 (the message is never shown). */
export function handle(logger: Logger, work: (req: express.Request, res: Response) => Promise<void>): RequestHandler {
  return (req, res) => {
    work(req, res).catch((err: unknown) => {
      logger.error({ err: errorFields(err), path: req.path }, 'people-in-the-loop request failed');
      if (!res.headersSent) fail(res, 500, 'internal error');
    });
  };
}

/** Body parser errors as JSON: malformed 400, oversized 413, never a 500 for a client's mistake. */
export function jsonErrors(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    const type = (err as { type?: unknown }).type;
    if (type === 'entity.too.large') return fail(res, 413, 'request body too large');
    if (typeof type === 'string' && type.startsWith('entity.')) return fail(res, 400, 'request body is not valid JSON');
    if (type === 'charset.unsupported' || type === 'encoding.unsupported')
      return fail(res, 415, 'unsupported encoding');
    logger.error({ err: errorFields(err), path: req.path }, 'people-in-the-loop request failed');
    if (res.headersSent) return next(err);
    return fail(res, 500, 'internal error');
  };
}
