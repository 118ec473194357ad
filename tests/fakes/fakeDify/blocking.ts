/**
 * `response_mode` blocking (or omitted, which means blocking — dify-api.md §2): the same run,
 * answered as one JSON document (§3). The gateway should always stream; this exists so that a
 * gateway which forgets `response_mode` gets Dify's real behaviour instead of an SSE body.
 */
import { isChatFamily } from './envelope';
import type { DifyError, RunContext } from './types';
import { difyError } from './validation';

type Ev = Record<string, unknown>;

function assembleAnswer(events: Ev[], ctx: RunContext): string {
  let answer = '';
  let sawAgentMessage = false;
  for (const ev of events) {
    const text = typeof ev['answer'] === 'string' ? ev['answer'] : '';
    if (ev['event'] === 'agent_message') {
      sawAgentMessage = true;
      answer += text;
    } else if (ev['event'] === 'message') {
      // §4.3: the closing `message` of a New Agent run is the whole answer.
      answer = ctx.mode === 'agent' && sawAgentMessage ? text : answer + text;
    } else if (ev['event'] === 'message_replace') {
      answer = text;
    }
  }
  return answer;
}

/** Blocking body for the events of a run, or the error an in-stream `error` would become. */
export function blockingResponse(events: Ev[], ctx: RunContext): Ev | DifyError {
  const failure = events.find((ev) => ev['event'] === 'error');
  if (failure) {
    const status = typeof failure['status'] === 'number' ? failure['status'] : 500;
    return difyError(status, String(failure['code'] ?? 'internal_server_error'), String(failure['message'] ?? ''));
  }
  if (ctx.mode === 'workflow') {
    const finished = events.find((ev) => ev['event'] === 'workflow_finished');
    return { task_id: ctx.taskId, workflow_run_id: ctx.workflowRunId, data: finished?.['data'] ?? null };
  }
  const end = events.find((ev) => ev['event'] === 'message_end');
  const body: Ev = { event: 'message', task_id: ctx.taskId, id: ctx.messageId, message_id: ctx.messageId };
  if (isChatFamily(ctx.mode)) body['conversation_id'] = ctx.conversationId;
  Object.assign(body, {
    mode: ctx.mode,
    answer: assembleAnswer(events, ctx),
    metadata: end?.['metadata'] ?? {},
    created_at: ctx.createdAt,
  });
  return body;
}
