import { Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { OperatorAccounts } from '../../hil/services/operatorAccounts';
import { loginPage } from '../views/loginView';
import { clearSession, setSession } from './consoleSession';
import { page, pageWork } from './pageKit';

const LOGIN_FORM = z.object({
  username: z.string().max(320).default(''),
  password: z.string().max(1024).default(''),
});

/**
 * GET/POST /console/login and POST /console/logout. The login checks the admin API's operator accounts
 * (the same password hash and JWT, hil.md §2.9); a refusal is the form again with 401 and one generic text.
 */
export function loginPages(deps: {
  readonly accounts: OperatorAccounts;
  readonly logger: Logger;
  readonly tokenTtlMs: number;
}): Router {
  const router = Router();
  router.get('/login', (_req, res) => page(res, 200, loginPage({ failed: false })));
  router.post(
    '/login',
    pageWork(deps.logger, async (req, res) => {
      const form = LOGIN_FORM.safeParse(req.body ?? {});
      const username = form.success ? form.data.username : '';
      const password = form.success ? form.data.password : '';
      const token = username === '' || password === '' ? undefined : await deps.accounts.login(username, password);
      if (token === undefined) return page(res, 401, loginPage({ failed: true, username }));
      setSession(req, res, token, deps.tokenTtlMs);
      res.redirect(303, '/console/requests');
    }),
  );
  router.post('/logout', (req, res) => {
    clearSession(req, res);
    res.redirect(303, '/console/login');
  });
  return router;
}
