import express, { Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { OperatorAccounts } from '../hil/services/operatorAccounts';
import type { OperatorDesk } from '../hil/services/operatorDesk';
import type { HilRequests } from '../hil/store/hilRequests';
import type { Readiness } from '../readiness';
import type { Queryable } from '../store/database';
import { assetRoutes } from './routes/assetRoutes';
import { securityHeaders, refuseCrossSite } from './routes/consoleSecurity';
import { requireSession } from './routes/consoleSession';
import { healthPages } from './routes/healthPages';
import { loginPages } from './routes/loginPages';
import { messagePages } from './routes/messagePages';
import { requestPages } from './routes/requestPages';
import { ConsoleQueries } from './store/consoleQueries';
import { t } from './texts';

export interface ConsoleDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Queryable;
  readonly requests: HilRequests;
  readonly desk: OperatorDesk;
  readonly accounts: OperatorAccounts;
  readonly ready: () => Promise<Readiness>;
  readonly runningTurns: () => number;
  readonly now: () => number;
}

/**
 * The operator console at /console (issue #17): server-rendered pages over the admin API's accounts and
 * desk. Every response carries the strict CSP; every POST needs same-origin evidence (CSRF); every page
 * but the login form and the assets needs the session cookie.
 */
export function consoleRouter(deps: ConsoleDeps): Router {
  const { config, logger, now } = deps;
  const bots = ['*', ...config.bots.byKey.keys(), ...config.bots.websocket.keys()].filter(
    (key) => key !== '*' || config.bots.fallback !== undefined,
  );
  const queries = new ConsoleQueries(deps.db);
  const inner = Router();
  inner.use(securityHeaders);
  inner.use(assetRoutes());
  inner.use(express.urlencoded({ limit: '64kb', extended: false }));
  inner.use(refuseCrossSite(t('FORBIDDEN')));
  inner.use(loginPages({ accounts: deps.accounts, logger, tokenTtlMs: config.hil.accessTokenTtlMs }));
  inner.use(requireSession(deps.accounts, logger));
  inner.get('/', (_req, res) => res.redirect(303, '/console/requests'));
  inner.use(requestPages({ requests: deps.requests, desk: deps.desk, logger, bots, now }));
  inner.use(messagePages({ queries, logger, showText: config.console.showMessageText }));
  inner.use(healthPages({ ...deps, queries }));
  inner.use((_req, res) => res.status(404).type('text/plain; charset=utf-8').send('Not Found'));
  const router = Router();
  router.use('/console', inner);
  return router;
}
