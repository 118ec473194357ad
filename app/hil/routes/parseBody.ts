import type { Request, Response } from 'express';
import type { z } from 'zod';
import { fail } from './jsonRoutes';

/** The admin API's ids are our row uuids (hil.md §2.9); anything else names nothing. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The body as the schema wants it, or undefined after a 400 `{success:false, error}` that names the
 * fields and what was wrong with them, never their values (a body may carry a password or a key).
 */
export function parseBody<S extends z.ZodType>(schema: S, req: Request, res: Response): z.infer<S> | undefined {
  const parsed = schema.safeParse(req.body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length === 0 ? 'body' : issue.path.join('.')}: ${issue.message}`);
  fail(res, 400, `invalid request body (${issues.join('; ')})`);
  return undefined;
}

/** A query parameter's value: the last one when it is repeated (as FastAPI reads a `str` parameter). */
export function queryValue(value: unknown): string | undefined {
  if (Array.isArray(value)) return queryValue(value[value.length - 1]);
  return typeof value === 'string' ? value : undefined;
}
