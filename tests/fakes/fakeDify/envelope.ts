/**
 * Envelope filling for scripted events (dify-api.md §4.2, §9.6). Values the script sets win;
 * the fake only adds what is missing, and puts the envelope keys first in the order modern
 * builds use (`event, conversation_id, message_id, created_at, task_id, id, …`, §4.1).
 */
import type { DifyMode, RunContext } from './types';

/** Events whose `id` carries the message id (§4.2). */
const MESSAGE_ID_EVENTS = new Set(['message', 'agent_message', 'message_end']);

/** Chatflow/workflow events that carry a top-level `workflow_run_id` (§4.2 last bullet). */
function carriesWorkflowRunId(event: string): boolean {
  return /^(workflow_|node_|iteration_|loop_|text_chunk|text_replace)/.test(event);
}

export function isChatFamily(mode: DifyMode): boolean {
  return mode === 'chat' || mode === 'agent-chat' || mode === 'advanced-chat' || mode === 'agent';
}

/** The defaults the envelope would add to `event`, in wire order. */
function envelopeDefaults(event: string, ctx: RunContext): Array<[string, unknown]> {
  const head: Array<[string, unknown]> = [['event', event]];
  if (ctx.mode === 'workflow') {
    head.push(['workflow_run_id', ctx.workflowRunId]);
  } else {
    if (isChatFamily(ctx.mode)) head.push(['conversation_id', ctx.conversationId]);
    head.push(['message_id', ctx.messageId], ['created_at', ctx.createdAt]);
  }
  // §4.2 / §5.3: every event except `error` has task_id.
  if (event !== 'error') head.push(['task_id', ctx.taskId]);
  if (ctx.mode !== 'workflow' && MESSAGE_ID_EVENTS.has(event)) head.push(['id', ctx.messageId]);
  if (ctx.mode === 'advanced-chat' && carriesWorkflowRunId(event)) {
    head.push(['workflow_run_id', ctx.workflowRunId]);
  }
  return head;
}

/** Returns a copy of `raw` with the run's envelope added where the script left it out. */
export function fillEnvelope(raw: Record<string, unknown>, ctx: RunContext): Record<string, unknown> {
  const event = typeof raw['event'] === 'string' ? raw['event'] : '';
  const out: Record<string, unknown> = {};
  for (const [key, fallback] of envelopeDefaults(event, ctx)) {
    out[key] = raw[key] !== undefined ? raw[key] : fallback;
  }
  for (const [key, value] of Object.entries(raw)) {
    if (!(key in out) && value !== undefined) out[key] = value;
  }
  return out;
}
