import { Router } from 'express';
import type { Registry } from 'prom-client';

/** Prometheus text format. Bind the gateway to an internal interface or filter /metrics at the proxy. */
export function metricsRouter(registry: Registry): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', registry.contentType);
    res.end(await registry.metrics());
  });
  return router;
}
