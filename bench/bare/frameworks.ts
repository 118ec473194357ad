import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import express from 'express';
import { type BareContext, handleCallback, handleHealth, handleMemory, signedQuery } from './handler';

/**
 * The same handlers mounted two ways, so the http/express difference is the framework alone.
 * Neither sets server timeouts: the gateway uses Node's defaults via app.listen, and so do these.
 */

export type Framework = 'http' | 'express';

const CALLBACK_PATH = /^\/wecom\/callback\/[^/]+\/?$/;

function notFound(res: ServerResponse): void {
  res.statusCode = 404;
  res.end();
}

function routeHttp(ctx: BareContext, req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  if (req.method === 'POST' && CALLBACK_PATH.test(path)) {
    // URLSearchParams decodes once, as Express's query parser does (§3: never decode twice).
    const params = new URLSearchParams(queryAt === -1 ? '' : url.slice(queryAt + 1));
    return handleCallback(
      ctx,
      req,
      res,
      signedQuery((name) => params.get(name) ?? undefined),
    );
  }
  if (req.method === 'GET' && path === '/healthz') return handleHealth(ctx, res);
  if (req.method === 'GET' && path === '/memory') return handleMemory(res);
  notFound(res);
}

function expressApp(ctx: BareContext): express.Express {
  const app = express();
  // As the gateway's createApp: no X-Powered-By, no ETag hashing of reply bodies.
  app.disable('x-powered-by');
  app.disable('etag');
  app.post('/wecom/callback/:botid', (req, res) =>
    handleCallback(
      ctx,
      req,
      res,
      signedQuery((name) => req.query[name]),
    ),
  );
  app.get('/healthz', (_req, res) => handleHealth(ctx, res));
  app.get('/memory', (_req, res) => handleMemory(res));
  return app;
}

export function createBareServer(framework: Framework, ctx: BareContext): Server {
  if (framework === 'express') return createServer(expressApp(ctx));
  return createServer((req, res) => routeHttp(ctx, req, res));
}
