import type { AxiosInstance } from 'axios';
import type { Logger } from 'pino';
import type { AgentConfig, DifyAppMode } from '../../config';
import { AnswerBuilder, type DifyFileRef } from './answerBuilder';
import type { AppModes } from './appModes';
import { DifyError, type DifyFailure, describeFailure, isConversationMissing } from './difyErrors';
import type { DifyBody } from './difyBody';
import type { DifyHttp } from './difyHttp';
import { type RunInput, buildRunRequest, hasConversations, stopPath } from './runRequest';
import { createDifyEventDecoder } from './sseDecoder';
import type { DifyEvent } from './events';

/** After a terminal event, how long to wait for EOF before taking the answer as complete (dify-api.md §4.4). */
const TERMINAL_GRACE_MS = 2000;

export interface RunCallbacks {
  /** The visible answer or thinking changed. */
  onChange(builder: AnswerBuilder): void;
  /** The conversation id is known (first event); save it at once (dify-api.md §4.2). */
  onConversation(conversationId: string): void;
  /** The stored conversation was gone and a new one was started. */
  onConversationReset(): void;
  /** A file of the answer (`message_file`, dify-api.md §4.7); its signed URL expires in 300 s. */
  onFile(file: DifyFileRef): void;
}

export interface RunResult {
  readonly mode: DifyAppMode;
  readonly builder: AnswerBuilder;
  /** Why the run failed; undefined when the stream ended (EOF, or a terminal event then silence). */
  readonly failure: DifyFailure | undefined;
}

export interface DifyRunDeps {
  readonly http: DifyHttp;
  readonly axios: AxiosInstance;
  readonly modes: AppModes;
  readonly logger: Logger;
}

/**
 * One Dify run for one user turn: picks the endpoint for the app's mode, opens the stream (with the
 * pre-stream retries of DifyHttp), retries once without the conversation when Dify no longer has it,
 * and feeds every event to an AnswerBuilder. It never throws for Dify's failures: they are returned.
 */
export async function runDify(
  deps: DifyRunDeps,
  agent: AgentConfig,
  input: RunInput,
  signal: AbortSignal,
  callbacks: RunCallbacks,
): Promise<RunResult> {
  const mode = await deps.modes.modeOf(agent, signal);
  const builder = new AnswerBuilder({
    mode,
    ...(agent.outputKey !== undefined ? { workflowOutputKey: agent.outputKey } : {}),
  });
  const conversationId = hasConversations(mode) ? input.conversationId : undefined;
  let body: DifyBody;
  try {
    body = await openWithConversationFallback(deps, agent, mode, { ...input, conversationId }, signal, callbacks);
  } catch (err) {
    if (err instanceof DifyError) return { mode, builder, failure: err.failure };
    throw err;
  }
  const failure = await consume(body, builder, callbacks);
  builder.end();
  if (
    failure !== undefined &&
    (failure.kind === 'idle_timeout' || failure.kind === 'deadline' || failure.kind === 'shutdown')
  )
    stopRemoteTask(deps, agent, mode, builder, input.user);
  return { mode, builder, failure };
}

async function openWithConversationFallback(
  deps: DifyRunDeps,
  agent: AgentConfig,
  mode: DifyAppMode,
  input: RunInput,
  signal: AbortSignal,
  callbacks: RunCallbacks,
): Promise<DifyBody> {
  const onRetry = (attempt: number, failure: DifyFailure): void => {
    deps.logger.warn({ agent: agent.id, attempt, cause: describeFailure(failure) }, 'retrying Dify request');
  };
  const request = buildRunRequest(agent, mode, input);
  try {
    return await deps.http.openStream(agent, request.path, request.body, signal, onRetry);
  } catch (err) {
    if (
      !(err instanceof DifyError) ||
      input.conversationId === undefined ||
      input.conversationId === '' ||
      !isConversationMissing(err.failure)
    )
      throw err;
    // The conversation was deleted, belongs to another app/key, or ended: start a fresh one transparently.
    callbacks.onConversationReset();
    const fresh = buildRunRequest(agent, mode, { ...input, conversationId: undefined });
    return deps.http.openStream(agent, fresh.path, fresh.body, signal, onRetry);
  }
}

/**
 * Feeds the body's events to the builder as they are decoded. The grace after a terminal event cancels
 * the body itself: no AbortController chained to the turn's signal (issue #14 scope 3).
 */
export async function consume(
  body: DifyBody,
  builder: AnswerBuilder,
  callbacks: RunCallbacks,
): Promise<DifyFailure | undefined> {
  let conversationSaved = false;
  let filesSeen = 0;
  let graceTimer: NodeJS.Timeout | undefined;
  const onEvent = (event: DifyEvent): void => {
    if (builder.apply(event)) callbacks.onChange(builder);
    while (filesSeen < builder.files.length) callbacks.onFile(builder.files[filesSeen++] as DifyFileRef);
    const conversationId = builder.ids.conversationId;
    if (!conversationSaved && conversationId !== undefined) {
      conversationSaved = true;
      callbacks.onConversation(conversationId);
    }
    if (builder.terminal !== undefined && graceTimer === undefined) {
      graceTimer = setTimeout(
        () => body.cancel(new DifyError({ kind: 'connection_lost', reason: 'grace' })),
        TERMINAL_GRACE_MS,
      );
    }
  };
  const decoder = createDifyEventDecoder(onEvent);
  try {
    await body.read((chunk) => decoder.push(chunk));
    decoder.end();
    return undefined;
  } catch (err) {
    // After a terminal event the answer is complete: a drop or the grace cancel changes nothing.
    if (builder.terminal !== undefined) return undefined;
    if (err instanceof DifyError) return err.failure;
    throw err;
  } finally {
    if (graceTimer !== undefined) clearTimeout(graceTimer);
  }
}

/** Closing the connection does not stop Dify's worker; the stop API does, mostly (dify-api.md §5.4, §8 P13). */
function stopRemoteTask(
  deps: DifyRunDeps,
  agent: AgentConfig,
  mode: DifyAppMode,
  builder: AnswerBuilder,
  user: string,
): void {
  const taskId = builder.ids.taskId;
  if (taskId === undefined) return;
  deps.axios
    .post(
      `${agent.baseUrl}${stopPath(mode, taskId)}`,
      { user },
      { headers: { Authorization: `Bearer ${agent.apiKey}` }, timeout: 5000 },
    )
    .catch((err: unknown) =>
      deps.logger.warn({ agent: agent.id, err: (err as Error).message }, 'Dify stop request failed'),
    );
}
