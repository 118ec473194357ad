import type { AgentConfig, DifyAppMode } from '../../config';
import { type Asker, fillInputs } from './inputPlaceholders';

/** An uploaded file handed to the app (dify-api.md §2 `files[]`, §6.1). */
export interface DifyFileInput {
  readonly type: 'image' | 'document' | 'audio' | 'video' | 'custom';
  readonly transfer_method: 'local_file';
  readonly upload_file_id: string;
}

/** What one user turn asks of a Dify app. */
export interface RunInput {
  readonly query: string;
  /** The user's images and files, uploaded to Dify beforehand with the same `user`. */
  readonly files?: readonly DifyFileInput[];
  /** Dify's end-user id; conversations and files are scoped to it (dify-api.md §1.3). */
  readonly user: string;
  /** Absent or '' starts a new conversation. */
  readonly conversationId: string | undefined;
  /** The WeCom user, chat and bot behind the turn: fills the `{{…}}` placeholders of the agent's inputs. */
  readonly asker?: Asker;
}

export interface RunRequest {
  readonly path: string;
  readonly body: Record<string, unknown>;
}

/**
 * The endpoint and body for the app's mode (dify-api.md §1.2, §2, §6.10, §6.11). Always streaming:
 * agent apps reject blocking, and streaming is what lets WeCom show the answer growing.
 */
export function buildRunRequest(agent: AgentConfig, mode: DifyAppMode, input: RunInput): RunRequest {
  const files = input.files !== undefined && input.files.length > 0 ? input.files : undefined;
  const inputs = fillInputs(agent.inputs, input.asker);
  switch (mode) {
    case 'chat':
    case 'agent-chat':
    case 'advanced-chat':
    case 'agent':
      return {
        path: '/chat-messages',
        body: {
          inputs,
          query: input.query,
          response_mode: 'streaming',
          user: input.user,
          conversation_id: input.conversationId ?? '',
          ...(files !== undefined ? { files } : {}),
        },
      };
    case 'workflow': {
      // Workflow apps have no `query` and no `files`: both go into input variables (§6.10).
      const fileInput = files !== undefined && agent.fileVariable !== undefined ? { [agent.fileVariable]: files } : {};
      return {
        path: '/workflows/run',
        body: {
          inputs: { ...inputs, [agent.queryVariable]: input.query, ...fileInput },
          response_mode: 'streaming',
          user: input.user,
        },
      };
    }
    case 'completion':
      return {
        path: '/completion-messages',
        body: {
          inputs: { ...inputs, [agent.queryVariable]: input.query },
          query: input.query,
          response_mode: 'streaming',
          user: input.user,
          ...(files !== undefined ? { files } : {}),
        },
      };
    default: {
      const exhaustive: never = mode;
      throw new Error(`unknown Dify app mode ${String(exhaustive)}`);
    }
  }
}

/** The stop endpoint of the app's mode (dify-api.md §6.2). */
export function stopPath(mode: DifyAppMode, taskId: string): string {
  const task = encodeURIComponent(taskId);
  if (mode === 'workflow') return `/workflows/tasks/${task}/stop`;
  if (mode === 'completion') return `/completion-messages/${task}/stop`;
  return `/chat-messages/${task}/stop`;
}

/** Whether the app can receive the user's files at all (workflow apps need a configured file variable). */
export function acceptsFiles(agent: AgentConfig, mode: DifyAppMode): boolean {
  return mode !== 'workflow' || agent.fileVariable !== undefined;
}

/** Chat-family apps keep conversations; workflow and completion apps do not. */
export function hasConversations(mode: DifyAppMode): boolean {
  return mode !== 'workflow' && mode !== 'completion';
}
