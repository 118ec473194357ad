import { type Request, type Response, Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { operatorName } from '../../hil/services/operatorAccounts';
import type { DeskResult, OperatorDesk } from '../../hil/services/operatorDesk';
import { HIL_STATUSES, LOOP_TYPES, type HilListFilter, type HilRequests } from '../../hil/store/hilRequests';
import { t } from '../texts';
import { requestDetailPage } from '../views/requestDetail';
import { AGES, type RequestFilters, requestListPage, requestRows, stampOf } from '../views/requestList';
import { sessionOperator } from './consoleSession';
import { page, pageWork, queryText } from './pageKit';

export interface RequestPagesDeps {
  readonly requests: HilRequests;
  readonly desk: OperatorDesk;
  readonly logger: Logger;
  /** Every bot key configured (the bot filter's choices). */
  readonly bots: readonly string[];
  readonly now: () => number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LIST_LIMIT = 200;
const TEXT = z.string().max(10_000).default('');
const ANSWER_FORM = z.object({
  action: z.enum(['approved', 'rejected', 'information', 'conversation']),
  text: TEXT,
  complete: z.string().optional(),
});
const BATCH_FORM = z.object({
  action: z.enum(['approved', 'rejected']),
  reason: z.string().max(1000).default(''),
  ids: z.union([z.string(), z.array(z.string())]).default([]),
});

const oneOf = <T extends string>(values: readonly T[], value: string | undefined): T | undefined =>
  value !== undefined && (values as readonly string[]).includes(value) ? (value as T) : undefined;

/** The page's filters as given (for the form) and as the store's filter (unknown values are no filter). */
function filtersOf(req: Request, now: number): { shown: RequestFilters; filter: HilListFilter } {
  const shown: RequestFilters = {
    type: oneOf(LOOP_TYPES, queryText(req, 'type')),
    status: oneOf(HIL_STATUSES, queryText(req, 'status')),
    platform: queryText(req, 'platform', 64),
    bot: queryText(req, 'bot', 64),
    age: queryText(req, 'age', 8),
  };
  const age = AGES.find(([key]) => key === shown.age)?.[2];
  const filter: HilListFilter = {
    skip: 0,
    limit: LIST_LIMIT,
    ...(shown.type === undefined ? {} : { loopType: oneOf(LOOP_TYPES, shown.type) }),
    ...(shown.status === undefined ? {} : { status: oneOf(HIL_STATUSES, shown.status) }),
    ...(shown.platform === undefined ? {} : { platform: shown.platform }),
    ...(shown.bot === undefined ? {} : { botKey: shown.bot }),
    ...(age === undefined ? {} : { createdFrom: now - age }),
  };
  return { shown, filter };
}

type Work = (deps: RequestPagesDeps, req: Request, res: Response) => Promise<void>;

const list: Work = async (deps, req, res) => {
  const { shown, filter } = filtersOf(req, deps.now());
  const [{ rows, count }, stats] = await Promise.all([deps.requests.list(filter), deps.requests.stats()]);
  const platforms = [...new Set(['wechat', ...Object.keys(stats.byPlatform)])];
  const done = /^(\d{1,4})-(\d{1,4})$/.exec(queryText(req, 'batch') ?? '');
  const notice = done === null ? undefined : t('BATCH_DONE', { ok: done[1] ?? '0', failed: done[2] ?? '0' });
  const operator = operatorName(sessionOperator(res));
  const view = { operator, filters: shown, bots: deps.bots, platforms, rows, count };
  page(res, 200, requestListPage(notice === undefined ? view : { ...view, notice }));
};

/** The live list: the rows' HTML and a stamp, polled by requests.js every 3 s. */
const live: Work = async (deps, req, res) => {
  const { filter } = filtersOf(req, deps.now());
  const { rows } = await deps.requests.list(filter);
  res.json({ stamp: stampOf(rows), rows: requestRows(rows).text });
};

async function detail(deps: RequestPagesDeps, req: Request, res: Response, outcome?: DeskResult): Promise<void> {
  const id = String(req.params['id']);
  const request = UUID.test(id) ? await deps.requests.byId(id) : undefined;
  if (request === undefined) {
    res.status(404).type('text/plain; charset=utf-8').send(t('NOT_FOUND'));
    return;
  }
  const replies = await deps.requests.replies(id);
  const operator = operatorName(sessionOperator(res));
  const notice = queryText(req, 'done') === '1' ? t('DONE') : undefined;
  const error = outcome !== undefined && !outcome.ok ? outcome.error : undefined;
  const view = {
    operator,
    request,
    replies,
    ...(notice === undefined ? {} : { notice }),
    ...(error === undefined ? {} : { error }),
  };
  page(res, error === undefined ? 200 : 409, requestDetailPage(view));
}

/** One answer through the admin API's desk: the same checks, the same once-only update, WeCom told. */
const answer: Work = async (deps, req, res) => {
  const id = String(req.params['id']);
  const form = ANSWER_FORM.safeParse(req.body ?? {});
  if (!UUID.test(id) || !form.success) return void res.status(400).type('text/plain').send('bad form');
  const by = operatorName(sessionOperator(res));
  const { action, text } = form.data;
  const result = await deskAnswer(deps.desk, id, by, action, text.trim(), form.data.complete === '1');
  if (result.ok) return res.redirect(303, `/console/requests/${id}?done=1`);
  await detail(deps, req, res, result);
};

function deskAnswer(
  desk: OperatorDesk,
  id: string,
  by: string,
  action: z.infer<typeof ANSWER_FORM>['action'],
  text: string,
  complete: boolean,
): Promise<DeskResult> {
  switch (action) {
    case 'approved':
    case 'rejected':
      return desk.approval(id, action, by, text === '' ? {} : { response: text, feedback: text });
    case 'information':
      return desk.information(id, text, by);
    case 'conversation':
      return desk.conversation(id, text, by, complete);
  }
}

/** Ticked requests approved or rejected one by one (each its own conditional update), like the admin batch. */
const batch: Work = async (deps, req, res) => {
  const form = BATCH_FORM.safeParse(req.body ?? {});
  if (!form.success) return void res.status(400).type('text/plain').send('bad form');
  const ids = (typeof form.data.ids === 'string' ? [form.data.ids] : form.data.ids).filter((id) => UUID.test(id));
  const by = operatorName(sessionOperator(res));
  const reason = form.data.reason.trim();
  let ok = 0;
  for (const id of ids.slice(0, LIST_LIMIT)) {
    const result = await deps.desk.approval(id, form.data.action, by, reason === '' ? {} : { response: reason });
    if (result.ok) ok += 1;
  }
  res.redirect(303, `/console/requests?batch=${ok}-${ids.length - ok}`);
};

export function requestPages(deps: RequestPagesDeps): Router {
  const router = Router();
  const h = (work: Work) => pageWork(deps.logger, (req, res) => work(deps, req, res));
  router.get('/requests', h(list));
  router.get('/requests/live', h(live));
  router.post('/requests/batch', h(batch));
  router.get(
    '/requests/:id',
    h((d, req, res) => detail(d, req, res)),
  );
  router.post('/requests/:id/answer', h(answer));
  return router;
}
