import express, { type Request, type Response, Router } from 'express';
import type { Logger } from 'pino';
import { INTERACTIONS_BODY_LIMIT, InteractionsBodySchema, WaitQuerySchema } from '../services/interactionFormat';
import type { InteractionService } from '../services/interactionService';
import type { CallerIdentity } from './humanloopRoutes';
import { fail, handle, jsonErrors } from './jsonRoutes';
import { parseBody } from './parseBody';

const BASE = '/api/hil/v1/interactions';

/** A snapshot may be 10 MB (hil.md §5.3): this route's own parser, JSON whatever the content type says. */
const bigJsonBody = express.json({ limit: INTERACTIONS_BODY_LIMIT, type: () => true });

/**
 * The interactions API (issue #15 scope 3, hil.md §5.3), `Authorization: Bearer <HIL API key>`:
 * POST a batch → `{batch_id, items}` (201 new, 200 the same batch again); GET a batch → its status,
 * answers, open interactions and snapshot; GET …/wait?timeout=60 → the same once it is no longer waiting
 * or at the timeout. Errors are JSON `{success: false, error}`: 401 unknown key, 400 a body or query that
 * does not parse (fields named, never values), 413 a snapshot over 10 MB, 404 a batch of another key.
 */
export function interactionRoutes(deps: {
  readonly logger: Logger;
  readonly callers: CallerIdentity;
  readonly service: InteractionService;
}): Router {
  const { logger, callers, service } = deps;
  const router = Router();
  const owner = async (req: Request, res: Response): Promise<string | undefined> => {
    const name = await callers.identify(req.headers.authorization);
    if (name === undefined) fail(res, 401, 'Unauthorized');
    return name;
  };
  router.post(
    BASE,
    bigJsonBody,
    handle(logger, async (req, res) => {
      const name = await owner(req, res);
      const body = name === undefined ? undefined : parseBody(InteractionsBodySchema, req, res);
      if (name === undefined || body === undefined) return;
      const result = await service.submit(name, body);
      if (result.kind === 'refused') return fail(res, result.status, result.error);
      res.status(result.created ? 201 : 200).json(result.answer);
    }),
  );
  router.get(
    `${BASE}/:batchId`,
    handle(logger, async (req, res) => {
      const name = await owner(req, res);
      if (name === undefined) return;
      const view = await service.view(name, String(req.params['batchId']));
      if (view === undefined) return fail(res, 404, 'batch not found');
      res.status(200).json(view);
    }),
  );
  router.get(`${BASE}/:batchId/wait`, handle(logger, waitRoute(owner, service)));
  router.use(BASE, (_req, res) => fail(res, 404, 'no such endpoint'));
  router.use(BASE, jsonErrors(logger));
  return router;
}

/** The long-poll: ends early when the client goes away, so a closed connection holds no waiter. */
function waitRoute(
  owner: (req: Request, res: Response) => Promise<string | undefined>,
  service: InteractionService,
): (req: Request, res: Response) => Promise<void> {
  return async (req, res) => {
    const name = await owner(req, res);
    if (name === undefined) return;
    const query = WaitQuerySchema.safeParse(req.query);
    if (!query.success) return fail(res, 400, 'timeout must be a number of seconds from 0 to 120');
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    const view = await service.wait(name, String(req.params['batchId']), query.data.timeout * 1000, gone.signal);
    if (res.writableEnded || gone.signal.aborted) return;
    if (view === undefined) return fail(res, 404, 'batch not found');
    res.status(200).json(view);
  };
}
