import { randomUUID } from 'node:crypto';
import type { HilReply, HilRequest, HilTarget, JsonObject, LoopType, NewHilRequest } from '../store/hilRequests';
import {
  type ApprovalResult,
  DEFAULT_WAIT_SECONDS,
  type InformationResult,
  MAX_WAIT_SECONDS,
  type WaitReplyResult,
} from './mcpFormat';
import { HIL_MCP, sessionReplies } from './hilMcpFormat';

/**
 * Between an MCP tool call and a hub request (issue #15 scope 2): the request a call makes, in
 * hil-mcp's convention, and the tool result a request ended in (hil.md §4.2, §7.5).
 */

/** What a waiting tool asks. */
export interface AskSpec {
  readonly loopType: LoopType;
  readonly context: JsonObject;
  readonly taskId: string;
  readonly approvers: readonly string[];
  readonly timeoutSeconds: number | undefined;
  readonly chatId: string;
}

/**
 * hil-mcp's convention (hil.md §4.4, shared with its HTTP API): the conversation is the chat, every
 * question a fresh request id, and the person's next message in the chat answers an information request.
 */
export function newRequest(owner: string, target: HilTarget, spec: AskSpec, now: number): NewHilRequest {
  const seconds = Math.min(spec.timeoutSeconds ?? DEFAULT_WAIT_SECONDS, MAX_WAIT_SECONDS);
  const capture = spec.loopType === 'approval' ? {} : { capture: 'next_message' };
  return {
    owner,
    platform: HIL_MCP,
    conversationId: `${target.botKey}|${target.chattype}|${target.chatid}`,
    requestId: randomUUID(),
    taskId: spec.taskId,
    loopType: spec.loopType,
    context: spec.context,
    metadata: { ...capture, source: 'mcp', chat_id: spec.chatId },
    target,
    approvers: spec.approvers,
    delivery: 'queued',
    cardTaskId: null,
    expiresAt: now + Math.ceil(seconds * 1000),
  };
}

function stringOf(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function waitReplyResult(request: HilRequest, replies: readonly HilReply[]): WaitReplyResult {
  const seconds = Math.round((request.expiresAt - request.createdAt) / 1000);
  switch (request.status) {
    case 'completed':
    case 'inprogress':
    case 'approved':
    case 'rejected':
      return { status: 'success', replies: sessionReplies(request, replies), message: 'the person replied' };
    case 'expired':
      return { status: 'timeout', replies: [], message: `no reply within ${seconds} s; ${closedHow(request)}` };
    case 'cancelled':
      return { status: 'error', replies: [], message: 'the question was cancelled' };
    case 'error':
    case 'pending':
      return { status: 'error', replies: [], message: `the question ended without a reply (${request.status})` };
    default: {
      const exhaustive: never = request.status;
      return exhaustive;
    }
  }
}

/** A callback bot cannot speak first (hil.md §7.2): a question still queued was never shown. */
function closedHow(request: HilRequest): string {
  return request.delivery === 'queued'
    ? 'the question was closed without being shown (the bot can write to that chat only after the person wrote to it)'
    : 'the question was closed';
}

/** Anything but an explicit decision reads as cancelled: an agent must never take it as approved. */
export function approvalResult(request: HilRequest): ApprovalResult {
  const by = request.respondedBy;
  switch (request.status) {
    case 'approved':
    case 'rejected':
      return { status: request.status, reason: stringOf(request.response?.['reason']), responded_by: by };
    case 'expired':
      return { status: 'expired', reason: null, responded_by: null };
    case 'cancelled':
    case 'completed':
    case 'inprogress':
    case 'pending':
    case 'error':
      return { status: 'cancelled', reason: null, responded_by: null };
    default: {
      const exhaustive: never = request.status;
      return exhaustive;
    }
  }
}

export function informationResult(request: HilRequest): InformationResult {
  const answer = stringOf(request.response?.['information']) ?? stringOf(request.response?.['text']);
  switch (request.status) {
    case 'completed':
    case 'inprogress':
    case 'approved':
    case 'rejected':
      return { status: 'completed', answer, responded_by: request.respondedBy };
    case 'expired':
      return { status: 'expired', answer: null, responded_by: null };
    case 'cancelled':
    case 'pending':
    case 'error':
      return { status: 'cancelled', answer: null, responded_by: null };
    default: {
      const exhaustive: never = request.status;
      return exhaustive;
    }
  }
}

export function notSentMessage(reason: string): string {
  if (reason === 'no_response_url')
    return 'not sent: this callback bot can write to the chat only after the person wrote to it (within the hour)';
  if (reason === 'not_connected') return "not sent: the bot's long connection is down";
  return `not sent (${reason})`;
}
