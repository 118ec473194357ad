import axios from 'axios';
import { Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { WecomAppClient } from '../services/wecomApp/wecomAppClient';
import type { Database } from '../store/database';
import { wecomAppCallback } from './routes/wecomAppCallback';
import type { HilAsk } from './services/hilAsk';
import type { HilDelivery } from './services/hilDelivery';
import { OaChanges } from './services/oaChanges';
import { OaFiling } from './services/oaFiling';
import { OaHealing } from './services/oaHealing';
import type { HilRequests } from './store/hilRequests';
import { SqlOaApprovals } from './store/sqlOaApprovals';

/**
 * Formal WeCom approvals (issue #16): with a self-built app configured, requests routed to `oa` are
 * filed in WeCom's 审批 app instead of asked in the chat, its callback answers them, and a poll heals
 * missed callbacks. Without the app: nothing (no route, no timer).
 */
export function oaSide(deps: {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Database;
  readonly requests: HilRequests;
  readonly ask: HilAsk;
  readonly delivery: HilDelivery;
  readonly now: () => number;
}): { readonly router: Router; start(): void; stop(): void } {
  const { config, logger, requests, now } = deps;
  const app = config.approvals.app;
  if (app === undefined) return { router: Router(), start: () => undefined, stop: () => undefined };
  const approvals = new SqlOaApprovals(deps.db);
  const http = axios.create({ headers: { 'User-Agent': 'wecom-dify-gateway' } });
  const client = new WecomAppClient({ app, http, logger, now });
  const changes = new OaChanges({ requests, approvals, logger, now });
  deps.ask.useBackend(new OaFiling({ config, app, requests, approvals, client, delivery: deps.delivery, logger, now }));
  const healing = new OaHealing({ approvals, client, changes, logger, pollMs: config.approvals.pollMs, now });
  return {
    router: wecomAppCallback({ app, changes, logger }),
    start: () => healing.start(),
    stop: () => healing.stop(),
  };
}
