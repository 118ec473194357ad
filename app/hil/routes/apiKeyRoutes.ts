import { type Request, type Response, Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ApiKeyAuth } from '../services/apiKeyAuth';
import type { ApiKeyInfo, ApiKeys } from '../store/apiKeys';
import { currentOperator } from './operatorAuth';
import { fail, handle, jsonBody } from './jsonRoutes';
import { parseBody, queryValue } from './parseBody';

export interface ApiKeyRoutesDeps {
  readonly apiKeys: ApiKeys;
  /** Told of every revoke, so the key stops working on this instance at once. */
  readonly keyAuth: ApiKeyAuth;
  readonly logger: Logger;
}

const CREATE = z.object({
  name: z.string().trim().min(1).max(255),
  description: z.string().max(500).nullish(),
});

const UPDATE = z.object({
  name: z.string().trim().min(1).max(255).optional(),
  description: z.string().max(500).nullish(),
  is_active: z.boolean().optional(),
});

const NOT_FOUND = 'API Key not found';

/**
 * The hub's APIKeyPublic (hil.md §2.9, [HUB `routes/api_keys.py`]) without `key`: only its hash is kept,
 * so the key is shown once, when it is made. `description`/`last_used_at` exist for the hub's admin UI.
 */
function publicKey(info: ApiKeyInfo, key?: string): Record<string, unknown> {
  return {
    id: info.id,
    name: info.name,
    description: null,
    is_active: info.active,
    ...(key === undefined ? {} : { key }),
    key_prefix: info.keyPrefix,
    created_by: info.createdBy,
    created_at: new Date(info.createdAt).toISOString(),
    revoked_at: info.revokedAt === null ? null : new Date(info.revokedAt).toISOString(),
    last_used_at: null,
  };
}

/** skip ≥ 0, 1 ≤ limit ≤ 1000 as the hub's Query(ge, le) checks them; else a 422 like FastAPI's. */
function paging(query: Record<string, unknown>, res: Response): { skip: number; limit: number } | undefined {
  const skip = queryValue(query['skip']) ?? '0';
  const limit = queryValue(query['limit']) ?? '100';
  if (!/^\d{1,9}$/.test(skip) || !/^\d{1,4}$/.test(limit) || Number(limit) < 1 || Number(limit) > 1000) {
    const error = 'skip must be an integer ≥ 0 and limit an integer from 1 to 1000';
    fail(res, 422, error, { detail: error });
    return undefined;
  }
  return { skip: Number(skip), limit: Number(limit) };
}

async function revoke(deps: ApiKeyRoutesDeps, res: Response, id: string): Promise<ApiKeyInfo | undefined> {
  const info = await deps.apiKeys.revoke(id);
  deps.keyAuth.clear();
  if (info === undefined) fail(res, 200, NOT_FOUND, { data: null });
  return info;
}

type Work = (deps: ApiKeyRoutesDeps, req: Request, res: Response) => Promise<void>;

const DUPLICATE = 'an API key with this name already exists';

const create: Work = async (deps, req, res) => {
  const body = parseBody(CREATE, req, res);
  if (body === undefined) return;
  // A HIL_API_KEYS name is taken too: both keys would own the same requests.
  if (deps.keyAuth.isEnvName(body.name)) return fail(res, 200, DUPLICATE, { data: null });
  const made = await deps.apiKeys.create(body.name, currentOperator(res).email);
  if (!made.ok) return fail(res, 200, DUPLICATE, { data: null });
  deps.logger.info({ apiKey: made.info.id, name: made.info.name }, 'API key created');
  res.status(201).json({ success: true, error: null, data: publicKey(made.info, made.key) });
};

const list: Work = async (deps, req, res) => {
  const page = paging(req.query, res);
  if (page === undefined) return;
  const all = await deps.apiKeys.list();
  const data = all.slice(page.skip, page.skip + page.limit).map((info) => publicKey(info));
  res.json({ success: true, error: null, data, count: all.length, ...page });
};

const one: Work = async (deps, req, res) => {
  const info = await deps.apiKeys.byId(String(req.params['id']));
  if (info === undefined) return fail(res, 200, NOT_FOUND, { data: null });
  res.json({ success: true, error: null, data: publicKey(info) });
};

/** The hub's PATCH: only `is_active: false` (a revoke) changes anything here. */
const update: Work = async (deps, req, res) => {
  const body = parseBody(UPDATE, req, res);
  if (body === undefined) return;
  const id = String(req.params['id']);
  const info = await deps.apiKeys.byId(id);
  if (info === undefined) return fail(res, 200, NOT_FOUND, { data: null });
  // The name is the owner of the key's requests: renaming would orphan them, so it is fixed.
  if (body.name !== undefined && body.name !== info.name)
    return fail(res, 200, 'the name of an API key cannot be changed', { data: null });
  if (body.is_active === true && !info.active)
    return fail(res, 200, 'a revoked API key cannot be activated again; make a new one', { data: null });
  const updated = body.is_active === false ? await revoke(deps, res, id) : info;
  if (updated !== undefined) res.json({ success: true, error: null, data: publicKey(updated) });
};

/** The hub deletes the row; here the key is revoked and kept, so its name stays its requests' owner. */
const remove: Work = async (deps, req, res) => {
  const info = await revoke(deps, res, String(req.params['id']));
  if (info === undefined) return;
  deps.logger.info({ apiKey: info.id, name: info.name }, 'API key revoked');
  res.json({ success: true, error: null, data: { message: 'API Key revoked' } });
};

/** `/api/v1/api-keys` (operator token): the agents' keys. Business errors are 200 `success:false`, as in the hub. */
export function apiKeyRoutes(deps: ApiKeyRoutesDeps): Router {
  const router = Router();
  const h = (work: Work) => handle(deps.logger, (req, res) => work(deps, req, res));
  router.post('/', jsonBody, h(create));
  router.get('/', h(list));
  router.get('/:id', h(one));
  router.patch('/:id', jsonBody, h(update));
  router.delete('/:id', h(remove));
  return router;
}
