import type { Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Database } from '../store/database';
import { interactionRoutes } from './routes/interactionRoutes';
import type { ApiKeyAuth } from './services/apiKeyAuth';
import { BatchWebhooks } from './services/batchWebhooks';
import type { HilAsk } from './services/hilAsk';
import type { KnownChats } from './services/hilChats';
import { BRIDGIC_PLATFORM, InteractionService } from './services/interactionService';
import type { RequestSignals } from './services/requestSignals';
import type { HilRequests } from './store/hilRequests';
import { SqlInteractionBatches } from './store/sqlInteractionBatches';

/**
 * Pause → persist → resume (issue #15 scope 3): the interactions API and the webhook that tells an app
 * its batch is answered, over the hub's core (hilHub's HilCore has all of these).
 */
export function interactionsSide(core: {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Database;
  readonly requests: HilRequests;
  readonly signals: RequestSignals;
  readonly ask: HilAsk;
  readonly chats: KnownChats;
  readonly callers: ApiKeyAuth;
  readonly now: () => number;
}): { readonly router: Router; start(): void; stop(): void } {
  const { config, logger, db, now } = core;
  const batches = new SqlInteractionBatches(db);
  const service = new InteractionService({ ...core, batches });
  const webhooks = new BatchWebhooks({
    ...{ config, logger, batches, signals: core.signals, now },
    platform: BRIDGIC_PLATFORM,
  });
  return {
    router: interactionRoutes({ logger, callers: core.callers, service }),
    start: () => webhooks.start(),
    stop: () => webhooks.stop(),
  };
}
