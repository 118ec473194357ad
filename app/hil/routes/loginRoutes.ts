import { Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { OperatorAccounts } from '../services/operatorAccounts';
import { fail, formBody, handle } from './jsonRoutes';
import { parseBody } from './parseBody';

const LOGIN_FORM = z.object({
  username: z.string().min(1).max(320),
  password: z.string().min(1).max(1024),
});

const INCORRECT = 'Incorrect email or password';

/**
 * `POST /api/v1/login/access-token` (hil.md §2.9): the hub's OAuth2 password form. Like the hub, a wrong
 * login is HTTP 200 `{success:false, error, data:null}` (its React admin reads `success`); a token is
 * in `data` as the hub answers and at the top level as OAuth2 clients expect it.
 */
export function loginRoutes(deps: { readonly accounts: OperatorAccounts; readonly logger: Logger }): Router {
  const router = Router();
  router.post(
    '/access-token',
    formBody,
    handle(deps.logger, async (req, res) => {
      const form = parseBody(LOGIN_FORM, req, res);
      if (form === undefined) return;
      const token = await deps.accounts.login(form.username, form.password);
      res.setHeader('Cache-Control', 'no-store');
      if (token === undefined) return fail(res, 200, INCORRECT, { detail: INCORRECT, data: null });
      const data = { access_token: token, token_type: 'bearer' };
      res.json({ success: true, error: null, data, ...data });
    }),
  );
  return router;
}
