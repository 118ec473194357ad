import { type Request, type Response, Router } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import {
  CancelBodySchema,
  CancelConversationBodySchema,
  ContinueBodySchema,
  RequestBodySchema,
  StatusQuerySchema,
  TaskSyncSchema,
  fieldsOf,
} from '../services/humanloopFormat';
import type { HumanloopAnswer, HumanloopService } from '../services/humanloopService';
import { fail, handle, jsonBody, jsonErrors } from './jsonRoutes';

/** Who is calling: the API key's name, or undefined for a key we do not know. */
export interface CallerIdentity {
  identify(authorization: string | undefined): Promise<string | undefined>;
}

const BASE = '/api/v1/humanloop';

/**
 * GoHumanLoop's server API (hil.md §2.2, §2.10) under /api/v1/humanloop: `Authorization: Bearer <key>`,
 * every answer HTTP 200 JSON with `success` — a 4xx/5xx or non-JSON /status makes the real client hang
 * (§2.6) — except 401 JSON for a key we do not know. Bodies are parsed with zod; a body that does not
 * parse is a 400 JSON naming the fields (never their values).
 */
export function humanloopRoutes(deps: {
  readonly logger: Logger;
  readonly callers: CallerIdentity;
  readonly service: HumanloopService;
}): Router {
  const { logger, callers, service } = deps;
  const router = Router();
  const authed =
    <S extends z.ZodType>(
      schema: S,
      from: 'body' | 'query',
      work: (owner: string, input: z.infer<S>) => Promise<HumanloopAnswer>,
    ) =>
    async (req: Request, res: Response): Promise<void> => {
      const owner = await callers.identify(req.headers.authorization);
      if (owner === undefined) return fail(res, 401, 'Unauthorized');
      const parsed = schema.safeParse(from === 'body' ? req.body : req.query);
      if (!parsed.success) {
        // /status must stay 200 (§2.6); a POST that cannot be read is the client's mistake.
        return fail(res, from === 'query' ? 200 : 400, `invalid or missing fields: ${fieldsOf(parsed.error)}`);
      }
      res.status(200).json(await work(owner, parsed.data));
    };
  router.use(BASE, jsonBody);
  router.post(
    `${BASE}/request`,
    handle(
      logger,
      authed(RequestBodySchema, 'body', (o, b) => service.request(o, b)),
    ),
  );
  router.get(`${BASE}/status`, handle(logger, statusRoute(authed, service)));
  router.post(
    `${BASE}/cancel`,
    handle(
      logger,
      authed(CancelBodySchema, 'body', (o, b) => service.cancel(o, b)),
    ),
  );
  // gohumanloop-wework registers the misspelt route (hil.md §2.8); both spellings work here.
  for (const name of ['cancel_conversation', 'cancel_converstation'])
    router.post(
      `${BASE}/${name}`,
      handle(
        logger,
        authed(CancelConversationBodySchema, 'body', (o, b) => service.cancelConversation(o, b)),
      ),
    );
  router.post(
    `${BASE}/continue`,
    handle(
      logger,
      authed(ContinueBodySchema, 'body', (o, b) => service.continueConversation(o, b)),
    ),
  );
  router.post(
    `${BASE}/tasks/sync`,
    handle(
      logger,
      authed(TaskSyncSchema, 'body', (o, b) => service.tasksSync(o, b)),
    ),
  );
  router.use(BASE, (_req, res) => fail(res, 404, 'no such endpoint'));
  router.use(BASE, jsonErrors(logger));
  return router;
}

/** /status never answers anything but 200 JSON, even when the store fails (hil.md §2.6). */
function statusRoute(
  authed: <S extends z.ZodType>(
    schema: S,
    from: 'body' | 'query',
    work: (owner: string, input: z.infer<S>) => Promise<HumanloopAnswer>,
  ) => (req: Request, res: Response) => Promise<void>,
  service: HumanloopService,
): (req: Request, res: Response) => Promise<void> {
  const route = authed(StatusQuerySchema, 'query', (owner, query) => service.status(owner, query));
  return async (req, res) => {
    try {
      await route(req, res);
    } catch {
      if (!res.headersSent) res.status(200).json({ success: false, error: 'status temporarily unavailable' });
    }
  };
}
