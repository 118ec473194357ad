import type { Logger } from 'pino';
import type { Config } from './config';
import { errorFields } from './logger';
import { runningExpiryMs } from './services/intake/admission';
import type { StoredAccessRules } from './store/accessRules';
import type { Database } from './store/database';
import { applyRetention } from './store/retention';

/** What every instance does on a timer besides serving requests: retention and the stored access rules. */

/** How often old rows are deleted; every instance may do it. */
const RETENTION_INTERVAL_MS = 10 * 60 * 1000;
const ACCESS_RULES_REFRESH_MS = 30_000;

export function startRetention(db: Database, config: Config, logger: Logger): NodeJS.Timeout {
  const periods = {
    streamMs: config.stream.ttlMs,
    messageMs: config.store.messageRetentionMs,
    conversationMs: config.store.conversationRetentionMs,
    admissionMs: runningExpiryMs(config),
  };
  const run = (): void => {
    applyRetention(db, periods)
      .then((deleted) => logger.info({ deleted }, 'retention applied'))
      .catch((err: unknown) => logger.error({ err: errorFields(err) }, 'retention failed'));
  };
  const timer = setInterval(run, RETENTION_INTERVAL_MS);
  timer.unref();
  setImmediate(run);
  return timer;
}

export function startRulesRefresh(rules: StoredAccessRules, logger: Logger): NodeJS.Timeout {
  const run = (): void => {
    rules
      .refresh()
      .catch((err: unknown) => logger.error({ err: errorFields(err) }, 'access rules could not be loaded'));
  };
  const timer = setInterval(run, ACCESS_RULES_REFRESH_MS);
  timer.unref();
  run();
  return timer;
}
