import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, RequestId, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from 'pino';
import { errorFields } from '../../logger';
import type { McpAsks, McpCall, ToolAnswer } from '../services/mcpAsks';
import {
  approvalInput,
  approvalOutput,
  informationInput,
  informationOutput,
  messageInput,
  messageOutput,
  waitReplyInput,
  waitReplyOutput,
} from '../services/mcpFormat';

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** The running calls of a session, so that a client's disconnect can abort the one its POST carried. */
export interface CallTracker {
  /** Registers a running call; returns its release. */
  track(requestId: RequestId, controller: AbortController): () => void;
}

export interface ToolDeps {
  readonly asks: McpAsks;
  readonly logger: Logger;
  /** The API key's name of the session. */
  readonly owner: string;
  readonly calls: CallTracker;
  readonly progressMs: number;
}

function every(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/**
 * What every waiting tool's description says (hil-clients.md "The MCP TypeScript SDK client"): a client
 * gives up after its request timeout (60 s by default) unless it asked for progress; a keep-alive does
 * not reset that timer, only progress does.
 */
function waitNote(progressMs: number): string {
  return (
    'The call returns when the person answers or timeout_seconds pass (then the question is closed). ' +
    'Long waits need progress: MCP clients abandon a call after their request timeout (60 s by default in ' +
    'the official SDKs). Pass a progress token (`onprogress` in the TypeScript SDK) and let progress reset ' +
    `the timeout (\`resetTimeoutOnProgress: true\`): this tool then sends a progress notification every ${every(progressMs)} ` +
    'while it waits. Without a progress token nothing can keep the call alive (a keep-alive does not reset ' +
    "the client's timer). Cancelling the call or disconnecting withdraws the question (shown as 已取消)."
  );
}

/** One McpServer per session (the SDK's Protocol is bound to one transport), with the hub's four tools. */
export function mcpServer(deps: ToolDeps): McpServer {
  const { asks, owner } = deps;
  const server = new McpServer({ name: 'wecom-dify-gateway', version: '1.0.0' });
  const note = waitNote(deps.progressMs);
  // The tools reach people outside the agent's world (MCP ToolAnnotations).
  const tool = { annotations: { openWorldHint: true, readOnlyHint: false } };
  server.registerTool(
    'send_and_wait_reply',
    {
      ...tool,
      title: 'Ask a person in WeCom and wait for the reply',
      description:
        'Sends a message to a person through the WeCom bot, headed `[#<id> <project_name>]`, and waits for ' +
        'their reply: a quote reply, `#<id> text`, or simply their next message in that chat. Returns ' +
        "hil-mcp's result: status success (with the replies), timeout, or error. " +
        note,
      inputSchema: waitReplyInput,
      outputSchema: waitReplyOutput,
    },
    (args, extra) => run(deps, extra, (call) => asks.sendAndWait(call, args)),
  );
  server.registerTool(
    'send_message_only',
    {
      ...tool,
      title: 'Send a message to a person in WeCom',
      description:
        'Sends a markdown message through the WeCom bot without waiting for an answer (headed `[<project_name>]` ' +
        'when given). A callback-mode bot can only write to a chat in the hour after the person wrote to it; ' +
        'status error says so.',
      inputSchema: messageInput,
      outputSchema: messageOutput,
    },
    (args, extra) => run(deps, extra, () => asks.sendOnly(owner, args)),
  );
  server.registerTool(
    'request_approval',
    {
      ...tool,
      title: 'Ask a person in WeCom to approve or reject',
      description:
        'Shows an approval card (批准 / 拒绝 / 填写意见) to the chat, or markdown where a card cannot go, and waits ' +
        'for the decision. Returns status approved or rejected (with the reason and who decided), expired, or ' +
        'cancelled; only approved means go ahead. ' +
        note,
      inputSchema: approvalInput,
      outputSchema: approvalOutput,
    },
    (args, extra) => run(deps, extra, (call) => asks.approval(call, args)),
  );
  server.registerTool(
    'request_information',
    {
      ...tool,
      title: 'Ask a person in WeCom for information',
      description:
        'Asks a question in the chat and waits for the answer (a quote reply, `#<id> text`, or the next ' +
        'message). Returns status completed with the answer and who gave it, expired, or cancelled. ' +
        note,
      inputSchema: informationInput,
      outputSchema: informationOutput,
    },
    (args, extra) => run(deps, extra, (call) => asks.information(call, args)),
  );
  return server;
}

/**
 * Runs one tool call: its abort signal follows the client's notifications/cancelled (the SDK's
 * `extra.signal`) and the session's own aborts (a disconnect), progress goes out only when the request
 * carried a progressToken, and a failure is logged and answered without its message.
 */
async function run<R extends Record<string, unknown>>(
  deps: ToolDeps,
  extra: Extra,
  work: (call: McpCall) => Promise<ToolAnswer<R>>,
): Promise<CallToolResult> {
  const control = new AbortController();
  const abort = (): void => control.abort();
  if (extra.signal.aborted) abort();
  else extra.signal.addEventListener('abort', abort, { once: true });
  const release = deps.calls.track(extra.requestId, control);
  const progress = progressOf(extra);
  try {
    const call = { owner: deps.owner, signal: control.signal, ...(progress === undefined ? {} : { progress }) };
    return toolResult(await work(call));
  } catch (err) {
    deps.logger.error({ err: errorFields(err), owner: deps.owner }, 'MCP tool call failed');
    return { isError: true, content: [{ type: 'text', text: 'internal error: the request could not be made' }] };
  } finally {
    release();
    extra.signal.removeEventListener('abort', abort);
  }
}

function progressOf(extra: Extra): (() => Promise<void>) | undefined {
  const token = extra._meta?.progressToken;
  if (token === undefined) return undefined;
  let count = 0;
  return async () => {
    count += 1;
    const params = { progressToken: token, progress: count, message: 'waiting for the person in WeCom' };
    // The stream may be gone (a disconnect aborts the call anyway): a lost progress is not an error.
    await extra.sendNotification({ method: 'notifications/progress', params }).catch(() => undefined);
  };
}

function toolResult<R extends Record<string, unknown>>(answer: ToolAnswer<R>): CallToolResult {
  switch (answer.kind) {
    case 'result':
      return { content: [{ type: 'text', text: JSON.stringify(answer.result) }], structuredContent: answer.result };
    case 'refused': {
      const { result, error } = answer;
      const text = JSON.stringify(result ?? { status: 'error', message: error });
      return {
        isError: true,
        content: [{ type: 'text', text }],
        ...(result === undefined ? {} : { structuredContent: result }),
      };
    }
    default: {
      const exhaustive: never = answer;
      return exhaustive;
    }
  }
}
