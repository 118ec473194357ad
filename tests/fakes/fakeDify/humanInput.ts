/**
 * Dify's Human Input node in the fake (docs/dify-human-input.md): a chatflow run that pauses at a form,
 * `POST /v1/form/human_input/{token}` (404 / 412 expired / 412 submitted / 400 invalid_form_data, §4) and
 * `GET /v1/workflow/{run_id}/events?user=` (§5). Like Dify's Redis pub/sub, the resumed run's events reach
 * only the streams open when it runs; a stream opened after it finished gets one `workflow_finished`.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { encodeFrame, pingFrame } from './encoding';
import { fillEnvelope } from './envelope';
import { sendDifyError, sendJson } from './responses';
import type { FakeDifyApp, FakeForm, FormSubmission, HumanInputScript, RunContext, ScriptedEvent } from './types';
import { difyError, requireUser } from './validation';

type Ev = Record<string, unknown>;

interface FormEntry extends FakeForm {
  script: HumanInputScript;
  ctx: RunContext;
}

const DEFAULT_ACTIONS = [
  { id: 'approve', title: '批准' },
  { id: 'reject', title: '拒绝' },
];

function inputsOf(script: HumanInputScript): Ev[] {
  return (script.inputs ?? []).map((i) => ({
    type: i.type ?? 'paragraph',
    output_variable_name: i.name,
    default: null,
    ...(i.options !== undefined ? { option_source: { type: 'constant', selector: [], value: i.options } } : {}),
  }));
}

export class FakeHumanInput {
  readonly forms: FormEntry[] = [];
  private readonly listeners = new Map<string, Set<ServerResponse>>();
  /** Runs that finished after their form: run id → the answer. */
  private readonly finished = new Map<string, { ctx: RunContext; answer: string }>();

  /** The events of a run that pauses at `script`'s form (the form is registered under a fresh token). */
  pauseEvents(script: HumanInputScript, ctx: RunContext, app: FakeDifyApp): ScriptedEvent[] {
    const token = script.delivery === 'email' ? null : `hitl_${randomUUID().replace(/-/g, '')}`;
    const expiresAt = Math.floor(Date.now() / 1000) + (script.expiresInSeconds ?? 3600);
    const actions = script.actions ?? DEFAULT_ACTIONS;
    const nodeTitle = script.nodeTitle ?? '人工审核';
    const run = { workflow_run_id: ctx.workflowRunId };
    const form = {
      form_id: randomUUID(),
      node_id: 'human_input_1',
      node_title: nodeTitle,
      form_content: script.content ?? '请审核这份草稿。',
      inputs: inputsOf(script),
      actions: actions.map((a) => ({ ...a, button_style: 'default' })),
      display_in_ui: false,
      form_token: token,
      resolved_default_values: Object.fromEntries((script.inputs ?? []).map((i) => [i.name, ''])),
      expiration_time: expiresAt,
    };
    if (token !== null)
      this.forms.push({
        token,
        apiKey: app.apiKey,
        user: ctx.user,
        workflowRunId: ctx.workflowRunId,
        nodeTitle,
        expiresAt: expiresAt * 1000,
        submitted: undefined,
        script,
        ctx,
      });
    const before = script.before ?? '';
    return [
      { event: 'workflow_started', ...run, data: { id: ctx.workflowRunId, created_at: ctx.createdAt } },
      ...(before === '' ? [] : [{ event: 'message', answer: before, from_variable_selector: ['llm', 'text'] }]),
      { event: 'human_input_required', ...run, data: form },
      {
        event: 'workflow_paused',
        ...run,
        data: { workflow_run_id: ctx.workflowRunId, paused_nodes: ['human_input_1'], outputs: {}, status: 'paused' },
      },
    ];
  }

  private failing = 0;

  failSubmits(count: number): void {
    this.failing = count;
  }

  expire(token: string): void {
    const form = this.forms.find((f) => f.token === token);
    if (form !== undefined) form.expiresAt = 0;
  }

  /** §4: 404 unknown or another app's; 412 submitted / expired; 400 invalid_form_data; else `{}` and resume. */
  submit(app: FakeDifyApp, token: string, body: Ev, res: ServerResponse): void {
    if (this.failing > 0) {
      this.failing -= 1;
      return sendDifyError(res, difyError(503, 'internal_server_error', 'Service unavailable'));
    }
    const user = requireUser(body);
    if (typeof user !== 'string') return sendDifyError(res, user);
    const form = this.forms.find((f) => f.token === token && f.apiKey === app.apiKey);
    if (form === undefined) return sendDifyError(res, difyError(404, 'not_found', 'Form not found'));
    const id = `form_id=${form.token.slice(0, 8)}`;
    if (form.submitted !== undefined)
      return sendDifyError(
        res,
        difyError(412, 'human_input_form_submitted', `This form has already been submitted by another user, ${id}`),
      );
    if (form.expiresAt <= Date.now())
      return sendDifyError(res, difyError(412, 'human_input_form_expired', `This form has expired, ${id}`));
    const action = (form.script.actions ?? DEFAULT_ACTIONS).find((a) => a.id === body['action']);
    const inputs = body['inputs'];
    if (action === undefined || typeof inputs !== 'object' || inputs === null || Array.isArray(inputs))
      return sendDifyError(res, difyError(400, 'invalid_form_data', 'Invalid action or inputs'));
    const submitted = { token, action: action.id, actionTitle: action.title, inputs: inputs as Ev, user };
    form.submitted = submitted;
    sendJson(res, 200, {});
    // The resumed run is a worker's job: it starts a moment after the submit was answered.
    setTimeout(() => this.resume(form, submitted), 30);
  }

  private resume(form: FormEntry, submitted: FormSubmission): void {
    const answer =
      form.script.answer?.(submitted) ?? `已选择：${submitted.actionTitle} ${JSON.stringify(submitted.inputs)}`;
    const { ctx } = form;
    const run = { workflow_run_id: ctx.workflowRunId };
    const filled: Ev = {
      event: 'human_input_form_filled',
      ...run,
      data: {
        node_id: 'human_input_1',
        node_title: form.nodeTitle,
        action_id: submitted.action,
        action_text: submitted.actionTitle,
      },
    };
    const chars = Array.from(answer);
    const half = Math.ceil(chars.length / 2);
    const deltas = [chars.slice(0, half).join(''), chars.slice(half).join('')].filter((d) => d !== '');
    const next = form.script.then;
    const app = { apiKey: form.apiKey, mode: ctx.mode } as FakeDifyApp;
    const tail: Ev[] =
      next !== undefined
        ? (this.pauseEvents(next, ctx, app) as Ev[]).slice(1)
        : [
            { event: 'message_end', metadata: {} },
            {
              event: 'workflow_finished',
              ...run,
              data: { id: ctx.workflowRunId, status: 'succeeded', outputs: { answer } },
            },
          ];
    const events = [filled, ...deltas.map((d) => ({ event: 'message', answer: d })), ...tail];
    if (next === undefined) this.finished.set(ctx.workflowRunId, { ctx, answer });
    for (const res of this.listeners.get(ctx.workflowRunId) ?? []) {
      for (const ev of events) res.write(encodeFrame(fillEnvelope(ev, ctx), 'compact'));
      res.end();
    }
    this.listeners.delete(ctx.workflowRunId);
  }

  /** §5: the run's events for its own user; one `workflow_finished` when it already finished. */
  events(app: FakeDifyApp, runId: string, user: string | undefined, res: ServerResponse): void {
    const form = this.forms.find((f) => f.workflowRunId === runId && f.apiKey === app.apiKey);
    if (form === undefined || user === undefined || user !== form.user)
      return sendDifyError(res, difyError(404, 'not_found', 'Workflow run not found'));
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
    const done = this.finished.get(runId);
    if (done !== undefined) {
      const data = { id: runId, status: 'succeeded', outputs: { answer: done.answer } };
      res.end(encodeFrame({ event: 'workflow_finished', task_id: runId, workflow_run_id: runId, data }, 'compact'));
      return;
    }
    res.write(pingFrame());
    const set = this.listeners.get(runId) ?? new Set<ServerResponse>();
    set.add(res);
    this.listeners.set(runId, set);
    res.on('close', () => set.delete(res));
  }

  close(): void {
    for (const set of this.listeners.values()) for (const res of set) res.destroy();
    this.listeners.clear();
  }
}
