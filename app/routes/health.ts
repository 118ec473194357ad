import { Router } from 'express';

/**
 * /healthz: the process serves HTTP (liveness). /readyz: it can do its work — the store answers
 * (readiness; a load balancer stops sending traffic while it fails).
 */
export function healthRouter(ready?: () => Promise<boolean>): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const ok = ready === undefined ? true : await ready().catch(() => false);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not ready', store: ok });
  });
  return router;
}
