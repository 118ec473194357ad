import type { AxiosInstance } from 'axios';
import type { Logger } from 'pino';
import { markdownMessageJson } from './reply';

/**
 * Posts to a message's or card click's `response_url` (wecom-aibot-protocol.md §9): the late answer,
 * or what the chat outbox sends; once, ≤ 20480 bytes, plain JSON (not encrypted). The URL works only once, so a failure is logged and not
 * retried blindly (a timed-out call may already have been consumed).
 */
export class ResponseUrlClient {
  constructor(
    private readonly http: AxiosInstance,
    private readonly logger: Logger,
    private readonly onOutcome: (outcome: 'delivered' | 'rejected' | 'failed') => void = () => undefined,
  ) {}

  postMarkdown(url: string, content: string, context: Record<string, unknown>): Promise<boolean> {
    return this.post(url, markdownMessageJson(content), context);
  }

  /** Posts one message body (markdown, or a template_card where the URL came from a single chat). */
  async post(url: string, json: string, context: Record<string, unknown>): Promise<boolean> {
    try {
      const response = await this.http.post<unknown>(url, json, {
        headers: { 'Content-Type': 'application/json' },
        timeout: 10_000,
        maxRedirects: 0,
        validateStatus: () => true,
        transformRequest: [(body: unknown) => body],
      });
      const body = response.data as { errcode?: unknown; errmsg?: unknown } | null;
      const errcode = typeof body === 'object' && body !== null ? body.errcode : undefined;
      if (response.status === 200 && errcode === 0) {
        this.logger.info({ ...context, outcome: 'delivered' }, 'response_url answer delivered');
        this.onOutcome('delivered');
        return true;
      }
      this.logger.error(
        { ...context, status: response.status, errcode, errmsg: body?.errmsg },
        'response_url answer rejected',
      );
      this.onOutcome('rejected');
      return false;
    } catch (err) {
      this.logger.error({ ...context, err: (err as Error).message }, 'response_url post failed');
      this.onOutcome('failed');
    }
    return false;
  }
}
