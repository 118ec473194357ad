import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { errorFields } from '../../logger';
import type { OperatorAccounts } from '../../hil/services/operatorAccounts';
import type { Operator } from '../../hil/store/operators';
import { overHttps } from './consoleSecurity';

export const COOKIE = 'console_session';

/** The operator of each page request, beside the response (typed, unlike res.locals). */
const operators = new WeakMap<Response, Operator>();

export function sessionOperator(res: Response): Operator {
  const operator = operators.get(res);
  if (operator === undefined) throw new Error('console page without requireSession');
  return operator;
}

/** The value of our cookie in the Cookie header, if any (no cookie library for one name). */
export function sessionToken(req: Request): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === COOKIE) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** The admin API's JWT in an HttpOnly, SameSite=Strict cookie for /console only; Secure over https. */
export function setSession(req: Request, res: Response, token: string, maxAgeMs: number): void {
  const secure = overHttps(req) ? '; Secure' : '';
  const maxAge = Math.floor(maxAgeMs / 1000);
  res.append(
    'Set-Cookie',
    `${COOKIE}=${encodeURIComponent(token)}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`,
  );
}

export function clearSession(req: Request, res: Response): void {
  const secure = overHttps(req) ? '; Secure' : '';
  res.append('Set-Cookie', `${COOKIE}=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0${secure}`);
}

/**
 * Pages need an active operator's valid token (the same check as the admin API's Bearer); without one a
 * page or a form post redirects to the login form and the live JSON answers 401.
 */
export function requireSession(accounts: OperatorAccounts, logger: Logger): RequestHandler {
  return (req, res, next) => {
    const token = sessionToken(req);
    const away = (): void => {
      // A form post after the session expired lands on the login form too; only the live poll wants JSON.
      if (req.path.endsWith('/live')) res.status(401).json({ error: 'not logged in' });
      else res.redirect(303, '/console/login');
    };
    if (token === undefined || token === '') return away();
    accounts
      .operatorOf(token)
      .then((operator) => {
        if (operator === undefined || !operator.isActive) return away();
        operators.set(res, operator);
        next();
      })
      .catch((err: unknown) => {
        logger.error({ err: errorFields(err) }, 'console session check failed');
        if (!res.headersSent) res.status(500).type('text/plain').send('internal error');
      });
  };
}
