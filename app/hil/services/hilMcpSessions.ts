import { randomUUID } from 'node:crypto';
import type { Config } from '../../config';
import type { HilRequest, HilRequests, HilTarget } from '../store/hilRequests';
import { OPEN_STATUSES } from '../store/hilRequests';
import type { HilAsk } from './hilAsk';
import { type KnownChats, resolveChat } from './hilChats';
import {
  HIL_MCP,
  HIL_MCP_MESSAGES,
  type PollAnswer,
  type ReplyObject,
  type SendAnswer,
  type SendBody,
  notSentMessage,
  pollAnswer,
  sessionReplies,
  splitImages,
} from './hilMcpFormat';
import { fill } from './hilRendering';
import { expiredIfOverdue } from './overdue';

/** hil-mcp's server default when a send has no timeout (hil.md §4.4). */
const DEFAULT_TIMEOUT_MS = 300_000;
const MAX_TIMEOUT_MS = 30 * 86400 * 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * hil-mcp's sessions (hil.md §4.3–4.5) as requests of the hub: a session is an information request whose
 * id is the session_id, which takes the chat's next message (`capture = next_message`, §4.4's
 * single-waiting fallback) and ends at its first reply. A send without wait_reply is a plain notice.
 */
export class HilMcpSessions {
  constructor(
    private readonly deps: {
      readonly config: Config;
      readonly requests: HilRequests;
      readonly ask: HilAsk;
      readonly chats: KnownChats;
      readonly now: () => number;
    },
  ) {}

  async send(body: SendBody): Promise<SendAnswer> {
    const raw = body.chat_id ?? (body.user_id != null ? `single:${body.user_id}` : '');
    const chat = raw.trim() === '' ? undefined : await resolveChat(this.deps.config, this.deps.chats, raw);
    if (chat === undefined || !chat.ok) {
      const error = chat === undefined ? HIL_MCP_MESSAGES.noChat : chat.error;
      return { success: false, message: error, error };
    }
    return body.wait_reply === false ? this.notify(chat.target, body) : this.open(chat.target, raw.trim(), body);
  }

  async poll(sessionId: string): Promise<PollAnswer> {
    const request = await this.session(sessionId);
    if (request === undefined) return pollAnswer(sessionId, 'not_found');
    switch (request.status) {
      case 'pending':
      case 'inprogress':
        return pollAnswer(sessionId, 'waiting');
      case 'completed':
        return pollAnswer(sessionId, 'replied', await this.repliesOf(request));
      case 'cancelled':
        return pollAnswer(sessionId, request.response?.['reason'] === 'timeout' ? 'timeout' : 'not_found');
      case 'expired':
      case 'approved':
      case 'rejected':
      case 'error':
        return pollAnswer(sessionId, 'not_found');
      default: {
        const exhaustive: never = request.status;
        return exhaustive;
      }
    }
  }

  /** The MCP server gave up waiting (hil.md §4.2): the session closes, so no later reply is taken for it. */
  async timeout(sessionId: string): Promise<{ readonly success: boolean }> {
    const request = await this.session(sessionId);
    if (request === undefined) return { success: false };
    if (OPEN_STATUSES.includes(request.status)) {
      const { now } = this.deps;
      await this.deps.requests.answer(request.id, {
        status: 'cancelled',
        response: { reason: 'timeout' },
        respondedBy: null,
        respondedAt: now(),
      });
    }
    return { success: true };
  }

  private async open(target: HilTarget, chatId: string, body: SendBody): Promise<SendAnswer> {
    const { now } = this.deps;
    const images = splitImages(body.images ?? []);
    const additional = this.imageLines(images);
    const { request } = await this.deps.ask.ask({
      owner: HIL_MCP,
      platform: HIL_MCP,
      conversationId: `${target.botKey}|${target.chattype}|${target.chatid}`,
      requestId: randomUUID(),
      taskId: body.project_name?.trim() ?? '',
      loopType: 'information',
      context: { question: body.message, ...(additional === '' ? {} : { additional }) },
      metadata: {
        capture: 'next_message',
        source: HIL_MCP,
        chat_id: chatId,
        ...(images.links.length > 0 ? { images: images.links } : {}),
      },
      target,
      approvers: [],
      delivery: 'queued',
      cardTaskId: null,
      expiresAt: now() + this.timeoutMs(body.timeout),
    });
    const message = request.delivery === 'delivered' ? HIL_MCP_MESSAGES.sent : HIL_MCP_MESSAGES.queued;
    return { success: true, session_id: request.id, message };
  }

  /** send_message_only: markdown now, or `success:false` with the reason (never queued, hil.md §7.3 "Notify"). */
  private async notify(target: HilTarget, body: SendBody): Promise<SendAnswer> {
    const project = body.project_name?.trim() ?? '';
    const parts = [
      project === '' ? '' : `**[${project}]**`,
      body.message,
      this.imageLines(splitImages(body.images ?? [])),
    ];
    const result = await this.deps.ask.notify(target, parts.filter((p) => p !== '').join('\n\n'));
    if (result.kind === 'sent') return { success: true, message: HIL_MCP_MESSAGES.sent };
    return { success: false, message: notSentMessage(result.reason), error: result.reason };
  }

  private imageLines(images: ReturnType<typeof splitImages>): string {
    const { texts } = this.deps.config;
    const lines = images.links.map((url, i) => fill(texts.HIL_IMAGE_LINK, { n: String(i + 1), url }));
    if (images.inline > 0) lines.push(fill(texts.HIL_IMAGES_NOT_SHOWN, { count: String(images.inline) }));
    return lines.join('\n');
  }

  /** A hil-mcp session by its id, expired first when overdue (as HumanloopService.status does). */
  private async session(sessionId: string): Promise<HilRequest | undefined> {
    if (!UUID.test(sessionId)) return undefined;
    const { requests, now } = this.deps;
    const request = await requests.byId(sessionId);
    if (request === undefined || request.owner !== HIL_MCP || request.platform !== HIL_MCP) return undefined;
    return expiredIfOverdue(requests, request, now());
  }

  private async repliesOf(request: HilRequest): Promise<ReplyObject[]> {
    return sessionReplies(request, await this.deps.requests.replies(request.id));
  }

  private timeoutMs(seconds: number | null | undefined): number {
    return seconds == null ? DEFAULT_TIMEOUT_MS : Math.min(Math.max(seconds * 1000, 1000), MAX_TIMEOUT_MS);
  }
}
