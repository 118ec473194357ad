import type { RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { errorFields } from '../../logger';
import type { OperatorAccounts } from '../services/operatorAccounts';
import type { Operator } from '../store/operators';
import { fail } from './jsonRoutes';

const BEARER = /^bearer[ \t]+(\S+)[ \t]*$/i;

/** The operator of each authenticated request, kept beside the response (typed, unlike res.locals). */
const operators = new WeakMap<Response, Operator>();

/** The operator requireOperator let through; throws when the route is not behind it (a wiring bug). */
export function currentOperator(res: Response): Operator {
  const operator = operators.get(res);
  if (operator === undefined) throw new Error('admin route without requireOperator');
  return operator;
}

function unauthorized(res: Response, error: string): void {
  // RFC 6750: a 401 names the scheme. `detail` is what the hub's (FastAPI) clients read.
  res.setHeader('WWW-Authenticate', 'Bearer');
  fail(res, 401, error, { detail: error });
}

/**
 * The admin API's gate (hil.md §2.9): `Authorization: Bearer <access token>` of an active operator.
 * API keys are not accepted (they are the agents', not the operators'). Missing or invalid → 401,
 * inactive operator → 403; the token itself is never logged.
 */
export function requireOperator(accounts: OperatorAccounts, logger: Logger): RequestHandler {
  return (req, res, next) => {
    const token = BEARER.exec(req.get('authorization') ?? '')?.[1];
    if (token === undefined) return unauthorized(res, 'Not authenticated');
    accounts
      .operatorOf(token)
      .then((operator) => {
        if (operator === undefined) return unauthorized(res, 'Could not validate credentials');
        if (!operator.isActive) return fail(res, 403, 'Inactive user', { detail: 'Inactive user' });
        operators.set(res, operator);
        next();
      })
      .catch((err: unknown) => {
        logger.error({ err: errorFields(err), path: req.path }, 'admin API authentication failed');
        if (!res.headersSent) fail(res, 500, 'internal error');
      });
  };
}
