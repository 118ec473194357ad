import type { Config } from '../../config';
import type { HilRequest, HilRequests, JsonObject } from '../store/hilRequests';
import type { HilAsk } from './hilAsk';
import { expiredIfOverdue } from './overdue';
import type { CancelBody, CancelConversationBody, ContinueBody, RequestBody, StatusQuery } from './humanloopFormat';
import { statusAnswer } from './humanloopFormat';
import { resolveTarget } from './hilTargets';
import { OA_CANCEL_NOTE, isOaRequest, oaRefusal, oaTargetOf, routesToOa } from './oaRouting';

/** An answer of the GoHumanLoop API: always a JSON object with `success` (hil.md §2.10). */
export type HumanloopAnswer = Record<string, unknown> & { readonly success: boolean };

const MAX_TIMEOUT_MS = 30 * 86400 * 1000;

/**
 * The GoHumanLoop server side (hil.md §2.2–§2.10), for one API key (`owner`): `request` is idempotent
 * for the same ids, `status` expires an overdue request before answering, `continue` is a new turn of
 * the conversation in the same WeCom chat, cancels are idempotent.
 */
export class HumanloopService {
  constructor(
    private readonly deps: {
      readonly config: Config;
      readonly requests: HilRequests;
      readonly ask: HilAsk;
      readonly now: () => number;
    },
  ) {}

  async request(owner: string, body: RequestBody, fallbackTarget?: HilRequest): Promise<HumanloopAnswer> {
    const { config, now } = this.deps;
    // Issue #16: a request for WeCom's 审批 app needs no bot chat; a conversation cannot go there.
    const refused = oaRefusal(config, body.metadata, body.loop_type);
    if (refused !== undefined) return { success: false, error: refused };
    const oa = routesToOa(config, body.metadata);
    const found = oa ? oaTargetOf(config, body.metadata) : resolveTarget(config, body.metadata);
    if (!found.ok && fallbackTarget === undefined) return { success: false, error: found.error };
    const target = found.ok ? found.target : (fallbackTarget as HilRequest).target;
    const approvers = found.ok ? found.approvers : [...(fallbackTarget as HilRequest).approvers];
    const { request } = await this.deps.ask.ask({
      owner,
      platform: body.platform,
      conversationId: body.conversation_id,
      requestId: body.request_id,
      taskId: body.task_id,
      loopType: body.loop_type,
      context: body.context,
      metadata: body.metadata,
      target,
      approvers,
      delivery: 'queued',
      cardTaskId: null,
      expiresAt: now() + this.timeoutOf(body.metadata),
    });
    return this.created(request);
  }

  /** A turn after the person answered the last one: the answered turn is done, the new one asks in the same chat. */
  async continueConversation(owner: string, body: ContinueBody): Promise<HumanloopAnswer> {
    const { requests, now } = this.deps;
    const open = await requests.openInConversation(owner, body.platform, body.conversation_id);
    for (const turn of open.filter((r) => r.status === 'inprogress' && r.requestId !== body.request_id)) {
      const { response, respondedBy, respondedAt } = turn;
      await requests.answer(
        turn.id,
        { status: 'completed', response, respondedBy, respondedAt: respondedAt ?? now() },
        ['inprogress'],
      );
    }
    return this.request(owner, { ...body, loop_type: 'conversation' }, open[open.length - 1]);
  }

  async status(owner: string, query: StatusQuery): Promise<HumanloopAnswer> {
    const { requests, now } = this.deps;
    const request = await requests.byClientIds(owner, query.platform, query.conversation_id, query.request_id);
    if (request === undefined) return { success: false, error: 'Request not found' };
    return statusAnswer(await expiredIfOverdue(requests, request, now())) as HumanloopAnswer;
  }

  async cancel(owner: string, body: CancelBody): Promise<HumanloopAnswer> {
    const request = await this.deps.requests.byClientIds(owner, body.platform, body.conversation_id, body.request_id);
    if (request === undefined) return { success: false, error: 'Request not found' };
    return this.cancelOne(request);
  }

  async cancelConversation(owner: string, body: CancelConversationBody): Promise<HumanloopAnswer> {
    const open = await this.deps.requests.openInConversation(owner, body.platform, body.conversation_id);
    const results = await Promise.all(open.map((r) => this.cancelOne(r)));
    return { success: results.every((r) => r.success), cancelled: results.filter((r) => r.success).length };
  }

  async tasksSync(owner: string, document: JsonObject & { task_id: string }): Promise<HumanloopAnswer> {
    await this.deps.requests.saveTaskSync(owner, document.task_id, document, this.deps.now());
    return { success: true, data: { task_id: document.task_id, updated: true } };
  }

  private async cancelOne(request: HilRequest): Promise<HumanloopAnswer> {
    const answer = await this.cancelled(request);
    return answer.success && isOaRequest(request) ? { ...answer, note: OA_CANCEL_NOTE } : answer;
  }

  private async cancelled(request: HilRequest): Promise<HumanloopAnswer> {
    if (request.status === 'cancelled') return { success: true, status: 'cancelled' };
    const cancelled = await this.deps.requests.answer(request.id, {
      status: 'cancelled',
      response: request.response,
      respondedBy: request.respondedBy,
      respondedAt: request.respondedAt ?? this.deps.now(),
    });
    if (cancelled !== undefined) return { success: true, status: 'cancelled' };
    const now = (await this.deps.requests.byId(request.id)) ?? request;
    return now.status === 'cancelled'
      ? { success: true, status: 'cancelled' }
      : { success: false, error: `Request is already ${now.status}` };
  }

  /** `metadata.timeout` (seconds) shortens or lengthens the server's default (HIL_REQUEST_TTL_SECONDS). */
  private timeoutOf(metadata: JsonObject): number {
    const timeout = metadata['timeout'];
    if (typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0)
      return Math.min(timeout * 1000, MAX_TIMEOUT_MS);
    return this.deps.config.hil.requestTtlMs;
  }

  private created(request: HilRequest): HumanloopAnswer {
    return {
      success: true,
      error: null,
      id: request.id,
      request_id: request.requestId,
      short_id: request.shortId,
      status: request.status,
      delivery: request.delivery,
    };
  }
}
