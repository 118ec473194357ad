import type { Logger } from 'pino';
import type { Config } from '../../config';
import { errorFields } from '../../logger';
import type { LateDelivery } from '../../services/channel';
import type { AnsweredForm } from '../../services/dify/difyHumanInput';
import { PausedForms, type PausedForm } from '../../services/turn/pausedForms';
import { renderMarkdown } from '../../services/wecom/streamContent';
import type { DifyForms } from '../store/difyForms';
import { type HilRequest, type HilRequests, OPEN_STATUSES } from '../store/hilRequests';
import { DIFY_OWNER } from './difyFormAsk';
import { type DifyFormMeta, formMetaOf } from './difyFormAnswer';
import type { HilDelivery } from './hilDelivery';
import { fill } from './hilRendering';

/**
 * Forms answered on another instance are left to it for two sweeps before the sweep here takes them: its
 * own change signal settles them at once, and a click's late delivery is only known there.
 */
const GRACE_SWEEPS = 2;
const SWEEP_BATCH = 20;
/** A chat with no way in yet is tried again this often, this many times. */
const OUTBOX_RETRY_MS = 1000;
const OUTBOX_RETRIES = 3;

/** Answers a form and reads the resumed run (services/dify/difyHumanInput answerForm, bound to the agent). */
export type FormAnswerer = (
  request: HilRequest,
  meta: DifyFormMeta,
  agentId: string,
  signal: AbortSignal,
) => Promise<AnsweredForm | undefined>;

/**
 * Settles a request made from a Dify form once it ends (issue #15 scope 4, docs/dify-human-input.md §4–§5):
 * answered → the form is submitted once (the store's claim), the resumed run is read and its answer sent to
 * the chat — through the click's own late delivery when there is one, else the chat outbox; expired → a
 * notice. Told at once of changes made here (RequestSignals), and the sweep finds those made elsewhere.
 */
export class DifyFormResume {
  private readonly late = new Map<string, LateDelivery>();
  private readonly busy = new Set<string>();

  constructor(
    private readonly deps: {
      readonly config: Config;
      readonly requests: HilRequests;
      readonly forms: DifyForms;
      readonly delivery: HilDelivery;
      readonly answer: FormAnswerer;
      /** A resumed run that pauses at the next form hands it on like a turn would. */
      readonly handOn: (paused: PausedForm) => Promise<void>;
      readonly logger: Logger;
      readonly now: () => number;
    },
  ) {}

  /** The way back to the chat a click reserved (its response_url, or a push): the resumed answer takes it. */
  expectLate(requestId: string, late: LateDelivery): void {
    this.late.set(requestId, late);
  }

  dropLate(requestId: string): void {
    this.late.delete(requestId);
  }

  readonly onChange = (request: HilRequest): void => {
    if (request.owner !== DIFY_OWNER || OPEN_STATUSES.includes(request.status)) return;
    this.settle(request.id).catch((err: unknown) =>
      this.deps.logger.error({ err: errorFields(err), hil: request.id }, 'Dify form could not be settled'),
    );
  };

  async sweep(): Promise<void> {
    const now = this.deps.now();
    const grace = GRACE_SWEEPS * this.deps.config.hil.expirySweepMs;
    const ids = await this.deps.forms.unsettled(now - grace, now, SWEEP_BATCH);
    for (const id of ids) await this.settle(id);
  }

  async settle(id: string): Promise<void> {
    if (this.busy.has(id)) return;
    this.busy.add(id);
    try {
      if (!(await this.deps.forms.claim(id, this.deps.now()))) return;
      const request = await this.deps.requests.byId(id);
      if (request !== undefined) await this.settleClaimed(request);
    } finally {
      this.busy.delete(id);
      this.late.delete(id);
    }
  }

  private async settleClaimed(request: HilRequest): Promise<void> {
    const { forms, now } = this.deps;
    const meta = formMetaOf(request);
    if (meta === undefined) return forms.finish(request.id, 'failed', now());
    if (request.status !== 'approved' && request.status !== 'rejected' && request.status !== 'completed') {
      await forms.finish(request.id, 'expired', now());
      if (request.status === 'expired') await this.tell(request, this.notice('HIL_FORM_EXPIRED', request));
      return;
    }
    const answered = await this.deps.answer(request, meta, meta.agent_id, AbortSignal.timeout(this.runLimitMs()));
    const submit = answered?.submit ?? { kind: 'not_found' as const };
    this.deps.logger.info({ hil: request.id, agent: meta.agent_id, submit: submit.kind }, 'Dify form answered');
    switch (submit.kind) {
      case 'submitted':
      case 'already_submitted':
        await forms.finish(request.id, 'submitted', now());
        return this.deliverResumed(request, meta, answered);
      case 'expired':
        await forms.finish(request.id, 'expired', now());
        return this.tell(request, this.notice('HIL_FORM_EXPIRED', request));
      case 'unavailable':
        // Dify could not be reached: the sweep tries again (up to MAX_ATTEMPTS, then the form failed).
        return forms.release(request.id, now());
      case 'not_found':
      case 'rejected':
        await forms.finish(request.id, 'failed', now());
        return this.tell(request, this.notice('HIL_FORM_FAILED', request));
      default: {
        const exhaustive: never = submit;
        return exhaustive;
      }
    }
  }

  /** The resumed run's answer; a run that paused at the next form goes on like a turn that paused. */
  private async deliverResumed(request: HilRequest, meta: DifyFormMeta, answered: AnsweredForm | undefined) {
    const builder = answered?.resumed?.builder;
    const next = PausedForms.answerable(builder?.form, builder?.ids ?? {});
    const { texts } = this.deps.config;
    const answer = builder?.answer.trim() ?? '';
    const notice = next !== undefined ? texts.HIL_FORM_WAITING : undefined;
    const text = answer === '' && notice === undefined ? this.notice('HIL_FORM_NO_ANSWER', request) : answer;
    await this.tell(request, renderMarkdown(text, notice, texts.TRUNCATED));
    const agent = this.deps.config.agents.byId.get(meta.agent_id);
    if (next === undefined || agent === undefined || builder === undefined) return;
    await this.deps.handOn({
      agentId: meta.agent_id,
      agent,
      form: next.form,
      ids: { ...builder.ids, workflowRunId: next.workflowRunId },
      difyUser: meta.dify_user,
      chat: request.target,
      userid: meta.asked_by,
      msgid: meta.msgid,
    });
  }

  /** To the chat: the click's late delivery first, else the outbox (a push, or a fresh response_url). */
  private async tell(request: HilRequest, markdown: string): Promise<void> {
    const late = this.late.get(request.id);
    this.late.delete(request.id);
    if (late !== undefined && (await late(markdown, { stream: request.id, msgid: request.id }))) return;
    for (let attempt = 0; ; attempt += 1) {
      const sent = await this.deps.delivery.sendMarkdown(request.target, markdown);
      if (sent.kind === 'sent') return;
      // A quote reply's own response_url reaches the book once its reply went out, a moment later.
      const passing = sent.reason === 'no_response_url' || sent.reason === 'not_connected';
      if (!passing || attempt >= OUTBOX_RETRIES) {
        this.deps.logger.warn({ hil: request.id, reason: sent.reason }, 'Dify form result could not reach the chat');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, OUTBOX_RETRY_MS));
    }
  }

  private notice(key: 'HIL_FORM_EXPIRED' | 'HIL_FORM_FAILED' | 'HIL_FORM_NO_ANSWER', request: HilRequest): string {
    return fill(this.deps.config.texts[key], { id: request.shortId, task: request.taskId });
  }

  private runLimitMs(): number {
    return this.deps.config.dify.turnTimeoutMs;
  }
}
