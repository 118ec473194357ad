import { Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../../config';
import { operatorName } from '../../hil/services/operatorAccounts';
import type { HilRequests } from '../../hil/store/hilRequests';
import type { Readiness } from '../../readiness';
import type { ConsoleQueries } from '../store/consoleQueries';
import { type BotState, healthPage } from '../views/healthView';
import { sessionOperator } from './consoleSession';
import { page, pageWork } from './pageKit';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface HealthPagesDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly queries: ConsoleQueries;
  readonly requests: HilRequests;
  /** The same report as /readyz: the store answers, each websocket bot's link state. */
  readonly ready: () => Promise<Readiness>;
  /** Turns running in this process. */
  readonly runningTurns: () => number;
  readonly now: () => number;
}

function botsOf(config: Config, ready: Readiness): BotState[] {
  const callback: BotState[] = [...config.bots.byKey.keys()].map((key) => ({
    key,
    channel: 'callback',
    state: undefined,
  }));
  if (config.bots.fallback !== undefined) callback.push({ key: '*', channel: 'callback', state: undefined });
  const websocket: BotState[] = [...config.bots.websocket.keys()].map((key) => ({
    key,
    channel: 'websocket',
    state: ready.websocket?.[key] ?? 'stopped',
  }));
  return [...callback, ...websocket];
}

/**
 * GET /console/health: channels (readiness), agents and their newest failure (from the message log, so
 * every instance's), running turns, turns and failures per minute over the hour, and the HIL counts.
 */
export function healthPages(deps: HealthPagesDeps): Router {
  const router = Router();
  router.get(
    '/health',
    pageWork(deps.logger, async (_req, res) => {
      const now = deps.now();
      const [ready, perMinute, errors, stats] = await Promise.all([
        deps.ready(),
        deps.queries.perMinute(now - HOUR_MS),
        deps.queries.lastErrors(now - DAY_MS),
        deps.requests.stats(),
      ]);
      const agents = [...deps.config.agents.byId.keys()].map((id) => ({
        id,
        error: errors.find((e) => e.agentId === id),
      }));
      page(
        res,
        200,
        healthPage({
          operator: operatorName(sessionOperator(res)),
          store: ready.store,
          bots: botsOf(deps.config, ready),
          agents,
          runningTurns: deps.runningTurns(),
          perMinute,
          stats,
          now,
        }),
      );
    }),
  );
  return router;
}
