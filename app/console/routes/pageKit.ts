import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { errorFields } from '../../logger';
import type { Html } from '../views/html';

/** Sends a rendered page. */
export function page(res: Response, status: number, body: Html): void {
  res.status(status).type('text/html; charset=utf-8').send(body.text);
}

/** An async page handler whose failure is logged (no detail to the browser) and answered 500 once. */
export function pageWork(logger: Logger, work: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return (req, res) => {
    work(req, res).catch((err: unknown) => {
      logger.error({ err: errorFields(err), path: req.path }, 'console page failed');
      if (!res.headersSent) res.status(500).type('text/plain; charset=utf-8').send('internal error');
    });
  };
}

/** A query parameter as one trimmed string; empty, repeated or absent → undefined. */
export function queryText(req: Request, name: string, max = 200): string | undefined {
  const value = req.query[name];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' || trimmed.length > max ? undefined : trimmed;
}
