import type { Logger } from 'pino';
import type { Config } from '../../config';
import { errorFields } from '../../logger';
import {
  type HilAnswer,
  type HilRequest,
  type HilRequests,
  type HilStatus,
  type LoopType,
  OPEN_STATUSES,
} from '../store/hilRequests';
import type { HilDelivery } from './hilDelivery';
import { fill, stateLine } from './hilRendering';
import { type DeskResult, type OperatorDesk, responseObject } from './operatorDesk';

/**
 * The admin API's answers (hil.md §2.9), with the hub's checks: the loop type must match, the request
 * must be open. Applied with the same conditional update as a person's answer, then told to the chat
 * as a short notice where the channel lets the bot speak (a push, or a fresh response_url).
 */
export class HilOperatorDesk implements OperatorDesk {
  constructor(
    private readonly deps: {
      readonly config: Config;
      readonly requests: HilRequests;
      readonly delivery: HilDelivery;
      readonly logger: Logger;
      readonly now: () => number;
    },
  ) {}

  approval(id: string, action: 'approved' | 'rejected', by: string, extra: { feedback?: unknown; response?: unknown }) {
    const response = {
      decision: action,
      ...(extra.response === undefined ? {} : responseObject('reason', extra.response)),
    };
    return this.answer(id, 'approval', by, { status: action, response, feedback: extra.feedback });
  }

  information(id: string, response: unknown, by: string, feedback?: unknown) {
    return this.answer(id, 'information', by, {
      status: 'completed',
      response: responseObject('information', response),
      feedback,
    });
  }

  conversation(id: string, response: unknown, by: string, isComplete: boolean, feedback?: unknown) {
    return this.answer(id, 'conversation', by, {
      status: isComplete ? 'completed' : 'inprogress',
      response: responseObject('message', response),
      feedback,
    });
  }

  cancel(id: string, by: string): Promise<DeskResult> {
    return this.answer(id, undefined, by, { status: 'cancelled', response: null });
  }

  async setStatus(id: string, status: HilStatus, by: string): Promise<DeskResult> {
    const updated = await this.deps.requests.forceStatus(id, status, this.deps.now());
    if (updated === undefined) return { ok: false, error: 'Request not found', notFound: true };
    void this.tell(updated, by);
    return { ok: true, request: updated };
  }

  private async answer(
    id: string,
    loopType: LoopType | undefined,
    by: string,
    change: { status: HilStatus; response: HilAnswer['response']; feedback?: unknown },
  ): Promise<DeskResult> {
    const { requests, now } = this.deps;
    const request = await requests.byId(id);
    if (request === undefined) return { ok: false, error: 'Request not found', notFound: true };
    if (loopType !== undefined && request.loopType !== loopType)
      return { ok: false, error: `Request is not of type ${loopType}` };
    if (!OPEN_STATUSES.includes(request.status)) return { ok: false, error: `Request is already ${request.status}` };
    const updated = await requests.answer(id, {
      status: change.status,
      response: change.response,
      ...(change.feedback === undefined ? {} : { feedback: change.feedback }),
      respondedBy: by,
      respondedAt: now(),
    });
    if (updated === undefined) return { ok: false, error: 'Request was answered meanwhile' };
    void this.tell(updated, by);
    return { ok: true, request: updated };
  }

  /** The chat learns what an operator decided; never fails the operator's call. */
  private async tell(request: HilRequest, by: string): Promise<void> {
    const { texts } = this.deps.config;
    const result =
      request.status === 'completed' || request.status === 'inprogress'
        ? texts.HIL_RESULT_COMPLETED
        : stateLine(request, texts);
    const text = fill(texts.HIL_OPERATOR_ANSWERED, { id: request.shortId, task: request.taskId, by, result });
    try {
      await this.deps.delivery.notify(request, text);
    } catch (err) {
      this.deps.logger.warn({ err: errorFields(err), hil: request.id }, 'operator answer notice not sent');
    }
  }
}
