import { type Request, type Response, Router } from 'express';
import type { Logger } from 'pino';
import type { OperatorDesk } from '../services/operatorDesk';
import {
  HIL_STATUSES,
  LOOP_TYPES,
  type HilListFilter,
  type HilRequests,
  type HilStatus,
  type LoopType,
} from '../store/hilRequests';
import { adminActions } from './adminActions';
import { fail, handle } from './jsonRoutes';
import { UUID, queryValue } from './parseBody';
import { publicRequest } from './requestView';

export interface AdminRoutesDeps {
  readonly requests: HilRequests;
  readonly desk: OperatorDesk;
  readonly logger: Logger;
}

const DAY_MS = 86_400_000;
const MAX_LIMIT = 1000;
/** The hub's stats keys, in its order [HUB `crud.py` `get_humanloop_stats`]; other platforms follow. */
const STATS_STATUSES: readonly HilStatus[] = [
  'pending',
  'inprogress',
  'completed',
  'cancelled',
  'approved',
  'rejected',
  'error',
  'expired',
];
const STATS_TYPES: readonly LoopType[] = ['conversation', 'approval', 'information'];
const STATS_PLATFORMS = ['wechat', 'feishu', 'other'];

/** A YYYY-MM-DD day (UTC, as the hub's naive utcnow timestamps) as ms, or undefined; the hub ignores bad dates. */
function day(value: string | undefined): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value ?? '');
  if (match === null) return undefined;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Date(ms).toISOString().startsWith(value ?? '') ? ms : undefined;
}

type Parsed = { readonly filter: HilListFilter; readonly matchesNothing: boolean };

/**
 * GET /requests' query (hil.md §2.9). As in the hub an empty value is no filter and a bad date is
 * ignored; an unknown loop_type or status matches no request. skip/limit that are no integers are a
 * 422 like FastAPI's; limit is capped at 1000.
 */
function listQuery(query: Record<string, unknown>, res: Response): Parsed | undefined {
  const v = (name: string): string | undefined => queryValue(query[name]) || undefined;
  const skip = v('skip') ?? '0';
  const limit = v('limit') ?? '100';
  if (!/^\d{1,9}$/.test(skip) || !/^\d{1,9}$/.test(limit)) {
    const error = 'skip and limit must be non-negative integers';
    fail(res, 422, error, { detail: error });
    return undefined;
  }
  const loopType = v('loop_type');
  const status = v('status');
  const from = day(v('created_at_start'));
  const until = day(v('created_at_end'));
  const filter: HilListFilter = {
    skip: Number(skip),
    limit: Math.min(Number(limit), MAX_LIMIT),
    ...(v('owner') === undefined ? {} : { owner: v('owner') }),
    ...(loopType !== undefined && (LOOP_TYPES as readonly string[]).includes(loopType)
      ? { loopType: loopType as LoopType }
      : {}),
    ...(status !== undefined && (HIL_STATUSES as readonly string[]).includes(status)
      ? { status: status as HilStatus }
      : {}),
    ...(v('platform') === undefined ? {} : { platform: v('platform') }),
    ...(from === undefined ? {} : { createdFrom: from }),
    // The hub's end is 23:59:59 of that day; the next midnight, exclusive, also keeps its last second.
    ...(until === undefined ? {} : { createdBefore: until + DAY_MS }),
  };
  const unknown =
    (loopType !== undefined && filter.loopType === undefined) || (status !== undefined && filter.status === undefined);
  return { filter, matchesNothing: unknown };
}

function countsOf<K extends string>(keys: readonly K[], counts: Readonly<Record<string, number>>): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, counts[key] ?? 0])) as Record<K, number>;
}

type Work = (deps: AdminRoutesDeps, req: Request, res: Response) => Promise<void>;

const list: Work = async (deps, req, res) => {
  const parsed = listQuery(req.query, res);
  if (parsed === undefined) return;
  const { filter } = parsed;
  const { rows, count } = parsed.matchesNothing ? { rows: [], count: 0 } : await deps.requests.list(filter);
  const data = rows.map(publicRequest);
  res.json({ success: true, error: null, data, count, skip: filter.skip, limit: filter.limit });
};

/** Unlike the answers, the hub's GET by id uses HTTP statuses: 400 for no uuid, 404 for unknown. */
const one: Work = async (deps, req, res) => {
  const id = String(req.params['id']);
  const invalid = 'Invalid request ID format';
  if (!UUID.test(id)) return fail(res, 400, invalid, { detail: invalid });
  const request = await deps.requests.byId(id);
  if (request === undefined) return fail(res, 404, 'Request not found', { detail: 'Request not found' });
  res.json({ success: true, error: null, data: publicRequest(request) });
};

const stats: Work = async (deps, _req, res) => {
  const counted = await deps.requests.stats();
  const platforms = [...new Set([...STATS_PLATFORMS, ...Object.keys(counted.byPlatform)])];
  const data = {
    by_status: countsOf(STATS_STATUSES, counted.byStatus),
    by_type: countsOf(STATS_TYPES, counted.byType),
    by_platform: countsOf(platforms, counted.byPlatform),
    total: counted.total,
  };
  res.json({ success: true, error: null, data });
};

/**
 * `/api/v1/admin/humanloop` (hil.md §2.9), behind requireOperator. Every operator sees every owner's
 * requests (the hub shows a user only the requests of their own keys; our operators run one gateway).
 */
export function adminRoutes(deps: AdminRoutesDeps): Router {
  const router = Router();
  const h = (work: Work) => handle(deps.logger, (req, res) => work(deps, req, res));
  router.get('/requests', h(list));
  router.get('/requests/:id', h(one));
  router.get('/stats', h(stats));
  router.use(adminActions(deps));
  return router;
}
