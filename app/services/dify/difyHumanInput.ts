import type { AgentConfig, DifyAppMode } from '../../config';
import { AnswerBuilder } from './answerBuilder';
import type { AppModes } from './appModes';
import { DifyError, type DifyFailure } from './difyErrors';
import { type DifyRunDeps, type RunResult, consume } from './difyRun';

/** What Dify said to a form's answer (docs/dify-human-input.md §4). */
export type SubmitOutcome =
  | { readonly kind: 'submitted' }
  /** 412 human_input_form_submitted: someone (or our own earlier attempt) answered it first. */
  | { readonly kind: 'already_submitted' }
  /** 412 human_input_form_expired. */
  | { readonly kind: 'expired' }
  /** 404: no such form for this app (another app's key, a deleted run), or e-mail-only delivery. */
  | { readonly kind: 'not_found' }
  /** 400 invalid_form_data and the like: the answer does not fit the form. */
  | { readonly kind: 'rejected'; readonly code: string }
  /** The network, a 5xx, a 429: worth another try later. */
  | { readonly kind: 'unavailable'; readonly cause: string };

export interface FormAnswer {
  /** An `id` of the form's actions (§3: `^[A-Za-z_][A-Za-z0-9_]*$`, ≤ 20 characters). */
  readonly action: string;
  /** Values by `output_variable_name`; paragraphs and selects take strings. */
  readonly inputs: Readonly<Record<string, string>>;
  /** The same end user that started the run (§4: the form is one-shot whoever submits it). */
  readonly user: string;
}

function codeOf(data: unknown): string {
  const code = (data as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** `POST /form/human_input/{form_token}` with `{inputs, action, user}`; never throws. */
export async function submitForm(
  deps: Pick<DifyRunDeps, 'axios'>,
  agent: AgentConfig,
  formToken: string,
  answer: FormAnswer,
): Promise<SubmitOutcome> {
  try {
    const response = await deps.axios.post<unknown>(
      `${agent.baseUrl}/form/human_input/${encodeURIComponent(formToken)}`,
      { inputs: answer.inputs, action: answer.action, user: answer.user },
      { headers: { Authorization: `Bearer ${agent.apiKey}` }, timeout: 15_000, validateStatus: () => true },
    );
    return outcomeOf(response.status, codeOf(response.data));
  } catch (err) {
    return { kind: 'unavailable', cause: err instanceof Error ? err.message : 'network' };
  }
}

function outcomeOf(status: number, code: string): SubmitOutcome {
  if (status >= 200 && status < 300) return { kind: 'submitted' };
  if (code === 'human_input_form_expired') return { kind: 'expired' };
  if (code === 'human_input_form_submitted') return { kind: 'already_submitted' };
  // Only the code tells them apart (both 412); a 412 with neither reads as expired, the safe side.
  if (status === 412) return { kind: 'expired' };
  if (status === 404) return { kind: 'not_found' };
  if (status === 429 || status >= 500) return { kind: 'unavailable', cause: `http_${status}` };
  return { kind: 'rejected', code: code === '' ? `http_${status}` : code };
}

/** What answering a form came to: Dify's word on the submit, and the resumed run when it goes on. */
export interface AnsweredForm {
  readonly submit: SubmitOutcome;
  /** Read when the submit was accepted (or had been before): the rest of the run's answer. */
  readonly resumed: RunResult | undefined;
}

/**
 * Answers a paused run's form and reads the rest of the run (docs/dify-human-input.md §4, §5). The run's
 * events are published, not stored (Redis pub/sub): the events stream
 * `GET /workflow/{workflow_run_id}/events?user=` is opened before the submit so that nothing the resumed
 * run says is missed, and read after it. A run that already finished sends only `workflow_finished`, whose
 * outputs then hold the answer (chatflows put it under `answer`).
 */
export async function answerForm(
  deps: DifyRunDeps,
  agent: AgentConfig,
  run: { readonly workflowRunId: string; readonly formToken: string },
  answer: FormAnswer,
  signal: AbortSignal,
): Promise<AnsweredForm> {
  const path = `/workflow/${encodeURIComponent(run.workflowRunId)}/events?user=${encodeURIComponent(answer.user)}`;
  const early = await deps.http.openEvents(agent, path, signal).catch(() => undefined);
  const submit = await submitForm(deps, agent, run.formToken, answer);
  if (submit.kind !== 'submitted' && submit.kind !== 'already_submitted') {
    early?.cancel(new DifyError({ kind: 'connection_lost', reason: 'form not submitted' }));
    return { submit, resumed: undefined };
  }
  const mode = await modeOf(deps.modes, agent, signal);
  // Read as a workflow: `workflow_finished.outputs` gives the answer when no text streamed (a finished run).
  const builder = new AnswerBuilder({
    mode: 'workflow',
    ...(agent.outputKey !== undefined ? { workflowOutputKey: agent.outputKey } : {}),
  });
  let failure: DifyFailure | undefined;
  try {
    const body = early ?? (await deps.http.openEvents(agent, path, signal));
    failure = await consume(body, builder, NO_CALLBACKS);
  } catch (err) {
    if (!(err instanceof DifyError)) throw err;
    failure = err.failure;
  }
  builder.end();
  return { submit, resumed: { mode, builder, failure } };
}

async function modeOf(modes: AppModes, agent: AgentConfig, signal: AbortSignal): Promise<DifyAppMode> {
  try {
    return await modes.modeOf(agent, signal);
  } catch {
    return 'advanced-chat';
  }
}

const NO_CALLBACKS = {
  onChange: () => undefined,
  onConversation: () => undefined,
  onConversationReset: () => undefined,
  onFile: () => undefined,
};
