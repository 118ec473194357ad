import { Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { errorFields } from '../logger';
import type { ChatOutbox, ChatReachability } from '../services/channel';
import type { Claimants } from '../services/intake/claimants';
import type { Database } from '../store/database';
import { hilMcpRoutes } from './routes/hilMcpRoutes';
import { humanloopRoutes } from './routes/humanloopRoutes';
import { CardCapture } from './services/cardCapture';
import { HilAnswers } from './services/hilAnswers';
import { HilClaimant } from './services/hilClaimant';
import { HilDelivery } from './services/hilDelivery';
import { HilMcpSessions } from './services/hilMcpSessions';
import { HilOperatorDesk } from './services/hilOperatorDesk';
import { HumanloopService } from './services/humanloopService';
import { MessageCapture } from './services/messageCapture';
import { OpenGate } from './services/openGate';
import { SqlHilRequests } from './store/sqlHilRequests';
import { SqlKnownChats } from './store/sqlKnownChats';
import { HilAsk } from './services/hilAsk';
import { RequestSignals } from './services/requestSignals';
import type { HilRequests } from './store/hilRequests';
import type { OperatorDesk } from './services/operatorDesk';
import type { OperatorAccounts } from './services/operatorAccounts';
import { adminSide } from './hilAdminSide';
import type { HilCore, HilSide } from './hilCore';
import { interactionsSide } from './interactionsSide';
import { oaSide } from './hilOaSide';
import { mcpSide } from './hilMcpSide';
import { difyFormSide } from './difyFormSide';
import type { DifyRunDeps } from '../services/dify/difyRun';
import type { PausedForms } from '../services/turn/pausedForms';

/** The people-in-the-loop hub of one process: its HTTP routes, and the timer that expires requests. */
export interface HilHub {
  readonly router: Router;
  readonly requests: HilRequests;
  /** The operators' desk and accounts, for the console (app/console, issue #17): the admin API's own. */
  readonly desk: OperatorDesk;
  readonly accounts: OperatorAccounts;
  /** Makes the first operator (FIRST_SUPERUSER) and starts the expiry sweep. */
  start(): Promise<void>;
  stop(): void;
}

export interface HilHubDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Database;
  readonly outbox: ChatOutbox;
  readonly reachability: ChatReachability;
  readonly claimants: Claimants;
  readonly now: () => number;
  /** Dify's Human Input forms answered in the chat (difyFormSide). */
  readonly dify: DifyRunDeps;
  readonly pausedForms: PausedForms;
}

/**
 * Wires the hub over the gateway's slots (ARCHITECTURE.md "Where the next product goes"): a claimant
 * for answers, the chat outbox for delivery, reachability for queued requests.
 */
export function composeHil(deps: HilHubDeps): HilHub {
  const { config, logger, db, now } = deps;
  const requests = new SqlHilRequests(db);
  const signals = new RequestSignals();
  requests.onChange((request) => signals.changed(request));
  const gate = new OpenGate(requests, now);
  const delivery = new HilDelivery({ config, requests, outbox: deps.outbox, logger, now });
  const ask = new HilAsk({ requests, delivery, gate, now });
  const answers = new HilAnswers(requests, config.texts, now);
  const messages = new MessageCapture({ config, requests, answers, gate, now });
  const cards = new CardCapture({ config, requests, answers, now });
  deps.claimants.add(new HilClaimant({ config, requests, messages, cards, delivery, now }));
  deps.reachability.onReachable((to) => {
    if (!gate.mayBeOpen()) return;
    delivery
      .flush(to)
      .catch((err: unknown) => logger.error({ err: errorFields(err) }, 'queued request could not be delivered'));
  });
  const desk = new HilOperatorDesk({ config, requests, delivery, logger, now });
  const admin = adminSide({ config, logger, db, requests, desk, now });
  const service = new HumanloopService({ config, requests, ask, now });
  const core: HilCore = {
    ...{ config, logger, db, requests, signals, ask, delivery, answers, gate, now },
    chats: new SqlKnownChats(db),
    callers: admin.callers,
  };
  const router = Router();
  router.use(humanloopRoutes({ logger, callers: admin.callers, service }));
  router.use(admin.router);
  const sides: HilSide[] = [
    { router: hilMcpRoutes({ logger, token: config.hil.mcpPathToken, sessions: new HilMcpSessions(core) }) },
    mcpSide(core),
    interactionsSide(core),
    oaSide(core),
    difyFormSide({ ...core, claimants: deps.claimants, pausedForms: deps.pausedForms, dify: deps.dify }),
  ];
  for (const side of sides) if (side.router !== undefined) router.use(side.router);
  let sweep: NodeJS.Timeout | undefined;
  return {
    router,
    requests,
    desk,
    accounts: admin.accounts,
    async start() {
      await admin.start();
      await gate.refresh();
      for (const side of sides) side.start?.();
      sweep = setInterval(() => {
        if (gate.mayBeOpen()) void sweepOnce(requests, delivery, logger, now);
      }, config.hil.expirySweepMs);
      sweep.unref();
    },
    stop() {
      if (sweep !== undefined) clearInterval(sweep);
      for (const side of sides) side.stop?.();
    },
  };
}

/** Expires overdue requests, then pushes again what waits for a long-connection bot. */
async function sweepOnce(
  requests: HilRequests,
  delivery: HilDelivery,
  logger: Logger,
  now: () => number,
): Promise<void> {
  try {
    const expired = await requests.expireDue(now());
    if (expired.length > 0) logger.info({ expired: expired.length }, 'people-in-the-loop requests expired');
    const pushed = await delivery.retryPushes();
    if (pushed > 0) logger.info({ pushed }, 'queued people-in-the-loop requests pushed');
  } catch (err) {
    logger.error({ err: errorFields(err) }, 'people-in-the-loop sweep failed');
  }
}
