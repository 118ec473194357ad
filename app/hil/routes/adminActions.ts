import { type Request, type Response, Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { operatorName } from '../services/operatorAccounts';
import type { DeskResult, OperatorDesk } from '../services/operatorDesk';
import { HIL_STATUSES, type HilStatus } from '../store/hilRequests';
import { currentOperator } from './operatorAuth';
import { fail, handle, jsonBody } from './jsonRoutes';
import { UUID, parseBody, queryValue } from './parseBody';
import { publicRequest } from './requestView';

/** The hub's feedback is a string ≤ 1000 characters; GoHumanLoop's is any JSON, so objects pass too. */
const FEEDBACK = z.union([z.string().max(1000), z.record(z.string(), z.unknown())]).nullish();
/** An operator's answer: any JSON but null (the desk puts a non-object under the loop type's key). */
const ANSWER = z.unknown().refine((value) => value !== undefined && value !== null, 'Required');
const REQUEST_ID = z.string().max(64);

const APPROVAL = z.object({
  request_id: REQUEST_ID,
  action: z.string().max(64),
  feedback: FEEDBACK,
  response: z.unknown().optional(),
});
const INFORMATION = z.object({ request_id: REQUEST_ID, response: ANSWER, feedback: FEEDBACK });
const CONVERSATION = z.object({
  request_id: REQUEST_ID,
  response: ANSWER,
  feedback: FEEDBACK,
  is_complete: z.boolean().default(false),
});
const BATCH = z.object({
  request_ids: z.array(REQUEST_ID).max(1000),
  action: z.string().max(64),
  feedback: FEEDBACK,
});

/** The hub's order of the eight statuses in its error message [HUB `admin_humanloop.py` update_request_status]. */
const STATUS_ORDER = ['pending', 'inprogress', 'completed', 'cancelled', 'approved', 'rejected', 'error', 'expired'];
const INVALID_ID = 'Invalid request ID format';

/** A desk outcome as the hub's APIResponse (HTTP 200 either way), with the updated request as `data`. */
function answer(res: Response, result: DeskResult): void {
  if (result.ok) res.json({ success: true, error: null, data: publicRequest(result.request) });
  else fail(res, 200, result.notFound === true ? 'Request not found' : result.error);
}

const present = (value: unknown): value is NonNullable<unknown> => value !== undefined && value !== null;

type Desk = OperatorDesk;
type Work = (desk: Desk, req: Request, res: Response) => Promise<void>;

const by = (res: Response): string => operatorName(currentOperator(res));

const approval: Work = async (desk, req, res) => {
  const body = parseBody(APPROVAL, req, res);
  if (body === undefined) return;
  if (body.action !== 'approved' && body.action !== 'rejected')
    return fail(res, 200, "Invalid action. Must be 'approved' or 'rejected'");
  if (!UUID.test(body.request_id)) return fail(res, 200, INVALID_ID);
  const extra = {
    ...(present(body.feedback) ? { feedback: body.feedback } : {}),
    ...(present(body.response) ? { response: body.response } : {}),
  };
  answer(res, await desk.approval(body.request_id, body.action, by(res), extra));
};

const information: Work = async (desk, req, res) => {
  const body = parseBody(INFORMATION, req, res);
  if (body === undefined) return;
  if (!UUID.test(body.request_id)) return fail(res, 200, INVALID_ID);
  answer(res, await desk.information(body.request_id, body.response, by(res), body.feedback ?? undefined));
};

const conversation: Work = async (desk, req, res) => {
  const body = parseBody(CONVERSATION, req, res);
  if (body === undefined) return;
  if (!UUID.test(body.request_id)) return fail(res, 200, INVALID_ID);
  const { request_id: id, response, is_complete: complete } = body;
  answer(res, await desk.conversation(id, response, by(res), complete, body.feedback ?? undefined));
};

/** Per id as the hub does: each its own conditional update, so one failure stops nothing; errors joined. */
const batch: Work = async (desk, req, res) => {
  const body = parseBody(BATCH, req, res);
  if (body === undefined) return;
  if (body.request_ids.length === 0) return fail(res, 200, 'Request IDs cannot be empty');
  const action = body.action;
  if (action !== 'approved' && action !== 'rejected' && action !== 'cancelled')
    return fail(res, 200, "Invalid action. Must be 'approved', 'rejected', or 'cancelled'");
  const extra = present(body.feedback) ? { feedback: body.feedback } : {};
  const errors: string[] = [];
  let processed = 0;
  for (const id of body.request_ids) {
    if (!UUID.test(id)) {
      errors.push(`Invalid request ID format: ${id}`);
      continue;
    }
    // approved/rejected go through the approval desk, which checks the loop type: the hub sets any
    // type to `approved`, which GoHumanLoop's information and conversation adapters then reject (hil.md §2.4).
    const result =
      action === 'cancelled' ? await desk.cancel(id, by(res)) : await desk.approval(id, action, by(res), extra);
    if (result.ok) processed += 1;
    else errors.push(result.notFound === true ? `Request ${id} not found` : `Request ${id}: ${result.error}`);
  }
  const error = errors.length === 0 ? null : `Processed ${processed} requests. Errors: ${errors.join('; ')}`;
  res.json({ success: processed > 0, error, processed, failed: errors.length });
};

const forceStatus: Work = async (desk, req, res) => {
  const status = queryValue(req.query['status']);
  if (status === undefined || status === '') {
    const error = 'the status query parameter is required';
    return fail(res, 422, error, { detail: error });
  }
  if (!(HIL_STATUSES as readonly string[]).includes(status))
    return fail(res, 200, `Invalid status. Must be one of: ${STATUS_ORDER.join(', ')}`);
  const id = String(req.params['id']);
  if (!UUID.test(id)) return fail(res, 200, INVALID_ID);
  answer(res, await desk.setStatus(id, status as HilStatus, by(res)));
};

/**
 * The admin API's answers (hil.md §2.9): approval, information, conversation, batch and a forced status,
 * all through the OperatorDesk (open requests only, applied once, WeCom told). Business errors are
 * HTTP 200 `success:false` like the hub; a body of the wrong shape is a 400.
 */
export function adminActions(deps: { readonly desk: OperatorDesk; readonly logger: Logger }): Router {
  const router = Router();
  const h = (work: Work) => handle(deps.logger, (req, res) => work(deps.desk, req, res));
  router.post('/approval', jsonBody, h(approval));
  router.post('/information', jsonBody, h(information));
  router.post('/conversation', jsonBody, h(conversation));
  router.post('/batch', jsonBody, h(batch));
  router.post('/requests/:id/status', h(forceStatus));
  return router;
}
