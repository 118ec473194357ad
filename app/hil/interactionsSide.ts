import type { Router } from 'express';
import type { HilCore } from './hilCore';
import { interactionRoutes } from './routes/interactionRoutes';
import { BatchWebhooks } from './services/batchWebhooks';
import { BRIDGIC_PLATFORM, InteractionService } from './services/interactionService';
import { SqlInteractionBatches } from './store/sqlInteractionBatches';

/**
 * Pause → persist → resume (issue #15 scope 3): the interactions API and the webhook that tells an app
 * its batch is answered, over the hub's core (hilHub's HilCore has all of these).
 */
export function interactionsSide(
  core: Pick<HilCore, 'config' | 'logger' | 'db' | 'requests' | 'signals' | 'ask' | 'chats' | 'callers' | 'now'>,
): { readonly router: Router; start(): void; stop(): void } {
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
