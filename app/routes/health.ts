import { Router } from 'express';

/** Liveness: the process serves HTTP. Readiness checks come with the store and websocket bots. */
export function healthRouter(): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  return router;
}
