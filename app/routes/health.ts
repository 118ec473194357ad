import { Router } from 'express';

/** What /readyz reports: the store, and each websocket bot's link state when there are any. */
export interface ReadinessReport {
  readonly ready: boolean;
  readonly store: boolean;
  readonly websocket?: Record<string, string>;
}

/**
 * /healthz: the process serves HTTP (liveness). /readyz: it can do its work — the store answers and
 * every websocket bot is connected (readiness; a load balancer stops sending traffic while it fails).
 */
export function healthRouter(ready?: () => Promise<ReadinessReport>): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const report: ReadinessReport =
      ready === undefined ? { ready: true, store: true } : await ready().catch(() => ({ ready: false, store: false }));
    const { ready: ok, ...parts } = report;
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not ready', ...parts });
  });
  return router;
}
