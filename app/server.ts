import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Config } from './config';
import { errorHandler } from './routes/errorHandler';
import { healthRouter } from './routes/health';
import { wecomCallbackRouter } from './routes/wecomCallback';
import type { CallbackService } from './services/callbackService';
import { GatewayError } from './errors';

export interface AppDeps {
  readonly config: Config;
  readonly callbacks: CallbackService;
  readonly logger: Logger;
}

/** Builds the HTTP surface; no listen, no env (DESIGN.md "Rooms"). */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(healthRouter());
  app.use(wecomCallbackRouter(deps));
  app.use((_req, _res, next) => next(new GatewayError('NOT_FOUND', 'no such route')));
  app.use(errorHandler(deps.logger));
  return app;
}
