import { Router } from 'express';
import type { Logger } from 'pino';
import type { ApiKeyAuth } from '../services/apiKeyAuth';
import type { OperatorAccounts } from '../services/operatorAccounts';
import type { OperatorDesk } from '../services/operatorDesk';
import type { ApiKeys } from '../store/apiKeys';
import type { HilRequests } from '../store/hilRequests';
import { adminRoutes } from './adminRoutes';
import { apiKeyRoutes } from './apiKeyRoutes';
import { fail, jsonErrors } from './jsonRoutes';
import { loginRoutes } from './loginRoutes';
import { requireOperator } from './operatorAuth';

export interface AdminApiDeps {
  readonly logger: Logger;
  readonly requests: HilRequests;
  readonly desk: OperatorDesk;
  readonly apiKeys: ApiKeys;
  /** The same instance the GoHumanLoop routes identify clients with: a revoke here clears its cache. */
  readonly keyAuth: ApiKeyAuth;
  readonly accounts: OperatorAccounts;
}

const PREFIXES = ['/api/v1/login', '/api/v1/api-keys', '/api/v1/admin/humanloop'];

/**
 * The gohumanloophub-compatible admin side (hil.md §2.9): login, the agents' API keys and the requests
 * desk, each under the hub's path. Mount it at the root: `app.use(adminApi(deps))`. Unknown paths under
 * these prefixes and body errors answer JSON, like the rest of the HIL API.
 */
export function adminApi(deps: AdminApiDeps): Router {
  const router = Router();
  const operator = requireOperator(deps.accounts, deps.logger);
  router.use('/api/v1/login', loginRoutes(deps));
  router.use('/api/v1/api-keys', operator, apiKeyRoutes(deps));
  router.use('/api/v1/admin/humanloop', operator, adminRoutes(deps));
  router.use(PREFIXES, (_req, res) => fail(res, 404, 'Not Found', { detail: 'Not Found' }));
  router.use(jsonErrors(deps.logger));
  return router;
}
