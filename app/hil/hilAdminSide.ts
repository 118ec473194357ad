import type { Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Database } from '../store/database';
import { adminApi } from './routes/hilAdmin';
import { AccessTokens } from './services/accessTokens';
import { ApiKeyAuth } from './services/apiKeyAuth';
import { OperatorAccounts } from './services/operatorAccounts';
import type { OperatorDesk } from './services/operatorDesk';
import type { HilRequests } from './store/hilRequests';
import { SqlApiKeys } from './store/sqlApiKeys';
import { SqlOperators } from './store/sqlOperators';
import { SqlSettings } from './store/sqlSettings';

/** The hub's accounts: the agents' API keys (who calls the GoHumanLoop API) and the operators of the admin API. */
export function adminSide(deps: {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Database;
  readonly requests: HilRequests;
  readonly desk: OperatorDesk;
  readonly now: () => number;
}): {
  readonly router: Router;
  readonly callers: ApiKeyAuth;
  readonly accounts: OperatorAccounts;
  start(): Promise<void>;
} {
  const { config, logger, db, requests, desk } = deps;
  const apiKeys = new SqlApiKeys(db);
  const keyAuth = new ApiKeyAuth(config.hil, apiKeys);
  const tokens = new AccessTokens(config.hil, new SqlSettings(db));
  const accounts = new OperatorAccounts({ config: config.hil, operators: new SqlOperators(db), tokens, logger });
  return {
    router: adminApi({ logger, requests, desk, apiKeys, keyAuth, accounts }),
    callers: keyAuth,
    accounts,
    start: () => accounts.ensureFirstSuperuser(),
  };
}
