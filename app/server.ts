import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import express, { type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Config } from './config';
import { errorHandler } from './routes/errorHandler';
import { type ReadinessReport, healthRouter } from './routes/health';
import { metricsRouter } from './routes/metrics';
import type { GatewayMetrics } from './metrics';
import { callbackTarget, handleCallback } from './routes/wecomCallback';
import type { CallbackService } from './services/intake/callbackService';
import { GatewayError } from './errors';

export interface AppDeps {
  readonly config: Config;
  readonly callbacks: CallbackService;
  readonly logger: Logger;
  /** Serves GET /metrics and counts callbacks when given. */
  readonly metrics?: GatewayMetrics;
  /** Backs GET /readyz (the store answers, websocket bots are connected); without it /readyz reports ready. */
  readonly ready?: () => Promise<ReadinessReport>;
  /** More HTTP routes (people in the loop: the GoHumanLoop and admin APIs), before the 404. */
  readonly routes?: RequestHandler;
}

/**
 * Builds the HTTP surface as a request listener; no listen, no env (ARCHITECTURE.md "Rooms"). WeCom's
 * callbacks (the hot path) go straight to their node:http handler; everything else (health,
 * metrics, 404s) to an Express app.
 */
export function createApp(deps: AppDeps): RequestListener {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(healthRouter(deps.ready));
  if (deps.metrics !== undefined) app.use(metricsRouter(deps.metrics.registry));
  if (deps.routes !== undefined) app.use(deps.routes);
  app.use((_req, _res, next) => next(new GatewayError('NOT_FOUND', 'no such route')));
  app.use(errorHandler(deps.logger));
  return (req: IncomingMessage, res: ServerResponse) => {
    const target = callbackTarget(req.url);
    if (target !== undefined) void handleCallback(deps, target, req, res);
    else app(req, res);
  };
}
