import type { AgentConfig, AgentMode } from '../../config';

/** What one user turn asks of a Dify app. */
export interface RunInput {
  readonly query: string;
  /** Dify's end-user id; conversations and files are scoped to it (dify-api.md §1.3). */
  readonly user: string;
  /** Absent or '' starts a new conversation. */
  readonly conversationId: string | undefined;
}

export interface RunRequest {
  readonly path: string;
  readonly body: Record<string, unknown>;
}

/**
 * The endpoint and body for the app's mode (dify-api.md §1.2, §2, §6.10, §6.11). Always streaming:
 * agent apps reject blocking, and streaming is what lets WeCom show the answer growing.
 */
export function buildRunRequest(agent: AgentConfig, mode: AgentMode, input: RunInput): RunRequest {
  switch (mode) {
    case 'chat':
    case 'agent-chat':
    case 'advanced-chat':
    case 'agent':
      return {
        path: '/chat-messages',
        body: {
          inputs: agent.inputs,
          query: input.query,
          response_mode: 'streaming',
          user: input.user,
          conversation_id: input.conversationId ?? '',
        },
      };
    case 'workflow':
      // Workflow apps have no `query`: the question goes into an input variable.
      return {
        path: '/workflows/run',
        body: { inputs: { ...agent.inputs, [agent.queryVariable]: input.query }, response_mode: 'streaming', user: input.user },
      };
    case 'completion':
      return {
        path: '/completion-messages',
        body: { inputs: { ...agent.inputs, [agent.queryVariable]: input.query }, query: input.query, response_mode: 'streaming', user: input.user },
      };
    default: {
      const exhaustive: never = mode;
      throw new Error(`unknown Dify app mode ${String(exhaustive)}`);
    }
  }
}

/** The stop endpoint of the app's mode (dify-api.md §6.2). */
export function stopPath(mode: AgentMode, taskId: string): string {
  const task = encodeURIComponent(taskId);
  if (mode === 'workflow') return `/workflows/tasks/${task}/stop`;
  if (mode === 'completion') return `/completion-messages/${task}/stop`;
  return `/chat-messages/${task}/stop`;
}

/** Chat-family apps keep conversations; workflow and completion apps do not. */
export function hasConversations(mode: AgentMode): boolean {
  return mode !== 'workflow' && mode !== 'completion';
}
