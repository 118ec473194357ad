/**
 * Default replies per app mode (dify-api.md §1.2 table, §4.4 event order): the answer echoes
 * the query as `收到：<query>` in a few deltas. Events are returned WITHOUT envelope; the
 * caller runs them through fillEnvelope like scripted events.
 */
import { randomUUID } from 'node:crypto';
import type { RunContext } from './types';

type Ev = Record<string, unknown>;

/** The (single) published workflow of every fake chatflow/workflow app. */
const FAKE_WORKFLOW_ID = '3c1f9e52-7a4d-4b8e-9f60-2d5a8c7e1b94';

/** The echoed answer, and its deltas: cut by code point so no delta splits a character. */
export function echoAnswer(ctx: RunContext): { answer: string; deltas: string[] } {
  const fromInputs = ctx.inputs['query'];
  const query = ctx.query !== '' ? ctx.query : typeof fromInputs === 'string' ? fromInputs : '';
  const answer = `收到：${query}`;
  const chars = Array.from(answer);
  const size = Math.max(1, Math.ceil(chars.length / 3));
  const deltas: string[] = [];
  for (let i = 0; i < chars.length; i += size) deltas.push(chars.slice(i, i + size).join(''));
  return { answer, deltas };
}

function usage(): Ev {
  return {
    prompt_tokens: 12,
    completion_tokens: 8,
    total_tokens: 20,
    total_price: '0.0000400',
    currency: 'USD',
    latency: 0.42,
  };
}

function messageEnd(): Ev {
  return {
    event: 'message_end',
    metadata: { annotation_reply: null, retriever_resources: [], usage: usage() },
    files: null,
  };
}

function agentThought(id: string, thought: string): Ev {
  return {
    event: 'agent_thought',
    id,
    position: 1,
    thought,
    observation: '',
    tool: '',
    tool_labels: {},
    tool_input: '',
    message_files: [],
  };
}

function workflowStarted(ctx: RunContext, workflowId: string): Ev {
  const inputs = { ...ctx.inputs, 'sys.query': ctx.query, 'sys.user_id': ctx.user };
  return {
    event: 'workflow_started',
    data: { id: ctx.workflowRunId, workflow_id: workflowId, inputs, created_at: ctx.createdAt },
  };
}

function workflowFinished(ctx: RunContext, workflowId: string, status: string, outputs: Ev): Ev {
  const data = {
    id: ctx.workflowRunId,
    workflow_id: workflowId,
    status,
    outputs,
    error: null,
    elapsed_time: 0.42,
    total_tokens: 20,
    total_steps: 3,
    created_by: { id: randomUUID(), user: ctx.user },
    created_at: ctx.createdAt,
    finished_at: ctx.createdAt + 1,
    exceptions_count: 0,
    files: [],
  };
  return { event: 'workflow_finished', data };
}

function nodePair(ctx: RunContext, nodeId: string, nodeType: string, index: number): [Ev, Ev] {
  const base = {
    id: randomUUID(),
    node_id: nodeId,
    node_type: nodeType,
    title: nodeType.toUpperCase(),
    index,
    predecessor_node_id: null,
    inputs: null,
    created_at: ctx.createdAt,
    extras: {},
    iteration_id: null,
    loop_id: null,
  };
  const finished = {
    ...base,
    inputs: {},
    process_data: null,
    outputs: {},
    status: 'succeeded',
    error: null,
    elapsed_time: 0.1,
    execution_metadata: null,
    finished_at: ctx.createdAt + 1,
    files: [],
  };
  return [
    { event: 'node_started', data: base },
    { event: 'node_finished', data: finished },
  ];
}

/** Events of the default reply for the app's mode (§4.4). */
export function defaultEvents(ctx: RunContext): Ev[] {
  const { answer, deltas } = echoAnswer(ctx);
  const workflowId = FAKE_WORKFLOW_ID;
  switch (ctx.mode) {
    case 'chat':
    case 'completion':
      return [...deltas.map((d) => ({ event: 'message', answer: d, from_variable_selector: null })), messageEnd()];
    case 'agent-chat': {
      const thoughtId = randomUUID();
      const messages = deltas.map((d) => ({ event: 'agent_message', answer: d }));
      return [agentThought(thoughtId, ''), ...messages, agentThought(thoughtId, answer), messageEnd()];
    }
    case 'agent':
      return [
        ...deltas.map((d) => ({ event: 'agent_message', answer: d })),
        { event: 'message', answer },
        messageEnd(),
      ];
    case 'advanced-chat': {
      const [startA, startB] = nodePair(ctx, '1767940000001', 'start', 1);
      const [llmA, llmB] = nodePair(ctx, '1767940000002', 'llm', 2);
      const messages = deltas.map((d) => ({
        event: 'message',
        answer: d,
        from_variable_selector: ['1767940000002', 'text'],
      }));
      const done = workflowFinished(ctx, workflowId, 'succeeded', { answer });
      return [workflowStarted(ctx, workflowId), startA, startB, llmA, ...messages, llmB, done, messageEnd()];
    }
    case 'workflow': {
      const chunks = deltas.map((d) => ({
        event: 'text_chunk',
        data: { text: d, from_variable_selector: ['1767944000002', 'text'] },
      }));
      const done = workflowFinished(ctx, workflowId, 'succeeded', { result: answer });
      return [workflowStarted(ctx, workflowId), ...chunks, done];
    }
  }
}

/**
 * What a stopped run sends before EOF (§6.2): chat-family and completion → `message_end`;
 * chatflow → `workflow_finished(stopped)` + `message_end`; workflow → `workflow_finished(stopped)`.
 */
export function stopEvents(ctx: RunContext): Ev[] {
  const stopped = workflowFinished(ctx, FAKE_WORKFLOW_ID, 'stopped', {});
  if (ctx.mode === 'workflow') return [stopped];
  if (ctx.mode === 'advanced-chat') return [stopped, messageEnd()];
  return [messageEnd()];
}
