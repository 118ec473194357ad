/**
 * A GoHumanLoop 0.0.15 APIProvider as the wire sees it (hil.md §2.2–§2.5, hil-clients.md): the same
 * requests byte for byte — Python's json.dumps (", " and ": " separators, non-ASCII as \uXXXX),
 * `Content-Type: application/json` on every call (GET included), `Authorization: Bearer <key>`,
 * aiohttp's User-Agent — and answers read the way its pydantic models read them. Independent of app/.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { pythonJson } from '../shared/pythonJson';

export { pythonJson };

/** APIResponse: `success` defaults to False, extra keys ignored (pydantic v2). */
const ApiResponse = z.looseObject({ success: z.boolean().default(false), error: z.string().nullish() });

/** HumanLoopStatusResponse (gohumanloop/models/api_model.py): responded_* must be str or None (§2.6 trap c). */
export const StatusResponse = ApiResponse.extend({
  status: z.string().default('pending'),
  response: z.unknown().optional(),
  feedback: z.unknown().optional(),
  responded_by: z.string().nullish(),
  responded_at: z.string().nullish(),
});
export type StatusResponse = z.infer<typeof StatusResponse>;

export interface SentRequest {
  readonly conversationId: string;
  readonly requestId: string;
  readonly platform: string;
}

export interface HttpAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly json: unknown;
}

/** What an adapter does with a status (§2.4): the manager's blocking wait returns at the first non-pending. */
export class GoHumanLoopClient {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string | undefined,
    readonly platform = 'wecom',
  ) {}

  private headers(): Record<string, string> {
    return {
      'Content-Type': 'application/json',
      'User-Agent': 'Python/3.11 aiohttp/3.14.3',
      Accept: '*/*',
      ...(this.apiKey !== undefined ? { Authorization: `Bearer ${this.apiKey}` } : {}),
    };
  }

  async call(method: 'GET' | 'POST', endpoint: string, body?: unknown): Promise<HttpAnswer> {
    const res = await fetch(`${this.baseUrl}/v1/humanloop/${endpoint}`, {
      method,
      headers: this.headers(),
      ...(body !== undefined ? { body: pythonJson(body) } : {}),
    });
    const contentType = res.headers.get('content-type') ?? '';
    const text = await res.text();
    // aiohttp's resp.json() refuses any other mimetype ("unexpected mimetype", §2.6).
    const json: unknown = contentType.startsWith('application/json') ? JSON.parse(text) : undefined;
    return { status: res.status, contentType, json };
  }

  /** `async_request_humanloop`: the body's key order is the model's (§2.3). */
  async request(
    loopType: 'approval' | 'information' | 'conversation',
    context: Record<string, unknown>,
    metadata: Record<string, unknown>,
    ids: { taskId?: string; conversationId?: string; requestId?: string } = {},
  ): Promise<{ sent: SentRequest; answer: HttpAnswer }> {
    const sent = {
      conversationId: ids.conversationId ?? `c-${randomUUID().slice(0, 8)}`,
      requestId: ids.requestId ?? randomUUID(),
      platform: this.platform,
    };
    const answer = await this.call('POST', 'request', {
      task_id: ids.taskId ?? 't1',
      conversation_id: sent.conversationId,
      request_id: sent.requestId,
      loop_type: loopType,
      context,
      platform: sent.platform,
      metadata,
    });
    return { sent, answer };
  }

  async continueConversation(
    conversationId: string,
    context: Record<string, unknown>,
    metadata: Record<string, unknown> = {},
    taskId = 't3',
  ): Promise<{ sent: SentRequest; answer: HttpAnswer }> {
    const sent = { conversationId, requestId: randomUUID(), platform: this.platform };
    const answer = await this.call('POST', 'continue', {
      conversation_id: conversationId,
      request_id: sent.requestId,
      task_id: taskId,
      context,
      platform: sent.platform,
      metadata,
    });
    return { sent, answer };
  }

  async status(sent: SentRequest): Promise<{ http: HttpAnswer; parsed: StatusResponse }> {
    const query = new URLSearchParams({
      conversation_id: sent.conversationId,
      request_id: sent.requestId,
      platform: sent.platform,
    });
    const http = await this.call('GET', `status?${query.toString()}`);
    return { http, parsed: StatusResponse.parse(http.json) };
  }

  cancel(sent: SentRequest): Promise<HttpAnswer> {
    return this.call('POST', 'cancel', {
      conversation_id: sent.conversationId,
      request_id: sent.requestId,
      platform: sent.platform,
    });
  }

  cancelConversation(conversationId: string, spelling = 'cancel_conversation'): Promise<HttpAnswer> {
    return this.call('POST', spelling, { conversation_id: conversationId, platform: this.platform });
  }

  /** Polls like the provider's poller (every `intervalMs`) until the status is not pending, or gives up. */
  async waitForResult(sent: SentRequest, timeoutMs = 10_000, intervalMs = 50): Promise<StatusResponse> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { http, parsed } = await this.status(sent);
      if (http.status !== 200) throw new Error(`status answered HTTP ${http.status}: the real client would hang`);
      if (parsed.success && parsed.status !== 'pending') return parsed;
      if (Date.now() > deadline) return parsed;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}

/** The context GoHumanLoop's @require_approval builds (§2.3). */
export function approvalContext(question: string, message = 'delete prod db?'): Record<string, unknown> {
  return { message, question, additional: '' };
}
