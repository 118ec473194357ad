import type { Logger } from 'pino';
import type { Config } from '../../config';
import { errorFields } from '../../logger';
import { WECOM_CONTENT_MAX_BYTES, truncateUtf8 } from '../../services/wecom/utf8';
import { type HilRequest, type HilRequests, type HilTarget, OPEN_STATUSES } from '../store/hilRequests';
import type { HilAsk } from './hilAsk';
import { type KnownChats, resolveChat } from './hilChats';
import type {
  ApprovalArgs,
  ApprovalResult,
  InformationArgs,
  InformationResult,
  MessageArgs,
  MessageResult,
  WaitReplyArgs,
  WaitReplyResult,
} from './mcpFormat';
import {
  type AskSpec,
  approvalResult,
  informationResult,
  newRequest,
  notSentMessage,
  waitReplyResult,
} from './mcpMapping';
import { type RequestSignals, waitForRequest } from './requestSignals';

/** One tool call of an MCP session, as the MCP edge hands it over. */
export interface McpCall {
  /** The API key's name the session was opened with: the requests' owner. */
  readonly owner: string;
  /** Aborts when the client cancels the call (notifications/cancelled), disconnects, or the session closes. */
  readonly signal: AbortSignal;
  /** Sends one progress notification; present only when the caller asked for progress (a progressToken). */
  readonly progress?: () => Promise<void>;
}

/**
 * A tool's answer: its result, or a mistake of the caller that asked nobody (no chat): an MCP `isError`
 * result, in the tool's own shape where that shape can say "error" (hil-mcp's tools).
 */
export type ToolAnswer<R> =
  | { readonly kind: 'result'; readonly result: R }
  | { readonly kind: 'refused'; readonly error: string; readonly result?: R };

/** The chat a call asks in, and the chat_id it was named by (kept in the request's metadata). */
type McpChat =
  | { readonly ok: true; readonly target: HilTarget; readonly chatId: string }
  | { readonly ok: false; readonly error: string };

/**
 * The four MCP tools over the hub (issue #15 scope 2): each question is a request made through
 * `HilAsk` (stored, then shown in WeCom); the call waits on `RequestSignals` until a person answers,
 * the deadline passes (→ expired) or the call is abandoned (→ cancelled, so the card says 已取消).
 * The request lives in the store, so another instance may take the answer; the waiting call itself
 * lives in the process that holds the MCP session.
 */
export class McpAsks {
  constructor(
    private readonly deps: {
      readonly config: Config;
      readonly logger: Logger;
      readonly requests: HilRequests;
      readonly signals: RequestSignals;
      readonly ask: HilAsk;
      readonly chats: KnownChats;
      readonly now: () => number;
    },
  ) {}

  async sendAndWait(call: McpCall, args: WaitReplyArgs): Promise<ToolAnswer<WaitReplyResult>> {
    const chat = await this.chatOf(call.owner, args.chat_id);
    if (!chat.ok) return refused(chat.error, { status: 'error', replies: [], message: chat.error });
    const request = await this.askAndWait(call, chat.target, {
      loopType: 'information',
      context: { question: args.message },
      taskId: args.project_name ?? '',
      approvers: [],
      timeoutSeconds: args.timeout_seconds,
      chatId: chat.chatId,
    });
    return { kind: 'result', result: waitReplyResult(request, await this.deps.requests.replies(request.id)) };
  }

  /** hil-mcp's send_message_only: markdown headed by the project's name, sent now or not at all. */
  async sendOnly(owner: string, args: MessageArgs): Promise<ToolAnswer<MessageResult>> {
    const chat = await this.chatOf(owner, args.chat_id);
    if (!chat.ok) return refused(chat.error, { status: 'error', message: chat.error });
    const project = args.project_name?.trim() ?? '';
    const markdown = project === '' ? args.message : `**[${project}]**\n\n${args.message}`;
    const sent = await this.deps.ask.notify(chat.target, truncateUtf8(markdown, WECOM_CONTENT_MAX_BYTES));
    if (sent.kind === 'sent') return { kind: 'result', result: { status: 'success', message: 'message sent' } };
    return { kind: 'result', result: { status: 'error', message: notSentMessage(sent.reason) } };
  }

  async approval(call: McpCall, args: ApprovalArgs): Promise<ToolAnswer<ApprovalResult>> {
    const chat = await this.chatOf(call.owner, args.chat_id);
    if (!chat.ok) return refused(chat.error);
    const context = { question: args.question, ...(args.context === undefined ? {} : { additional: args.context }) };
    const approvers = [...new Set((args.approvers ?? []).map((a) => a.trim()).filter((a) => a !== ''))];
    const request = await this.askAndWait(call, chat.target, {
      loopType: 'approval',
      context,
      taskId: '',
      approvers,
      timeoutSeconds: args.timeout_seconds,
      chatId: chat.chatId,
    });
    return { kind: 'result', result: approvalResult(request) };
  }

  async information(call: McpCall, args: InformationArgs): Promise<ToolAnswer<InformationResult>> {
    const chat = await this.chatOf(call.owner, args.chat_id);
    if (!chat.ok) return refused(chat.error);
    const request = await this.askAndWait(call, chat.target, {
      loopType: 'information',
      context: { question: args.question },
      taskId: '',
      approvers: [],
      timeoutSeconds: args.timeout_seconds,
      chatId: chat.chatId,
    });
    return { kind: 'result', result: informationResult(request) };
  }

  /** `chat_id`, else the key's defaultChat (HIL_API_KEYS), as a chat of a configured bot (hilChats.ts). */
  private async chatOf(owner: string, given: string | undefined): Promise<McpChat> {
    const { config, chats } = this.deps;
    const raw = given?.trim() || config.hil.keySettings.get(owner)?.defaultChat;
    if (raw === undefined)
      return { ok: false, error: 'no chat_id given, and this API key has no defaultChat (HIL_API_KEYS)' };
    const chat = await resolveChat(config, chats, raw);
    return chat.ok ? { ok: true, target: chat.target, chatId: raw } : chat;
  }

  /** Asks, then waits; progress every `progressMs` while it waits, when the caller asked for progress. */
  private async askAndWait(call: McpCall, target: HilTarget, spec: AskSpec): Promise<HilRequest> {
    const { requests, signals, now, config } = this.deps;
    const { request } = await this.deps.ask.ask(newRequest(call.owner, target, spec, now()));
    const progress = call.progress;
    const waited = await waitForRequest({ requests, signals, now }, request.id, (r) => !isOpen(r), {
      until: request.expiresAt,
      signal: call.signal,
      ...(progress === undefined ? {} : { onTick: () => progress(), tickMs: config.hil.mcp.progressMs }),
    });
    const ended = await this.close(waited ?? request, call.signal.aborted);
    this.deps.logger.info({ hil: request.id, status: ended.status, owner: call.owner }, 'MCP tool call ended');
    return ended;
  }

  /**
   * A request still open when the wait ends is closed here, conditionally (an answer that came in the
   * meantime wins): cancelled when the call was abandoned, expired when its time ran out (hil.md §4.5).
   */
  private async close(request: HilRequest, abandoned: boolean): Promise<HilRequest> {
    if (!isOpen(request)) return request;
    const { requests, now } = this.deps;
    try {
      if (abandoned) {
        const { response, respondedBy, respondedAt } = request;
        const answer = { status: 'cancelled' as const, response, respondedBy, respondedAt: respondedAt ?? now() };
        await requests.answer(request.id, answer);
      } else await requests.expireDue(now());
      return (await requests.byId(request.id)) ?? request;
    } catch (err) {
      this.deps.logger.error({ err: errorFields(err), hil: request.id }, 'MCP request could not be closed');
      return request;
    }
  }
}

function refused<R>(error: string, result?: R): ToolAnswer<R> {
  return { kind: 'refused', error, ...(result === undefined ? {} : { result }) };
}

function isOpen(request: HilRequest): boolean {
  return OPEN_STATUSES.includes(request.status);
}
