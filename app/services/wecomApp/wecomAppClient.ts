import type { AxiosInstance } from 'axios';
import type { Logger } from 'pino';
import type { WecomAppConfig } from '../../config';
import { AccessTokens } from './accessTokens';
import {
  type TemplateControl,
  readApprovalDetail,
  readSpNo,
  readTemplateControls,
  readToken,
  statusOf,
} from './apiFormat';
import type { ApprovalState } from './approvalState';

/** errcodes that mean "this access_token is no good" (invalid, not legal, expired): refresh once and retry. */
const TOKEN_ERRCODES = new Set([40001, 40014, 42001]);
const TIMEOUT_MS = 10_000;

/**
 * What went wrong with a WeCom API call, safe to show and log: the API's path, its errcode and errmsg
 * (never the URL: the access_token is in its query string, nor the secret).
 */
export class WecomApiError extends Error {
  constructor(
    readonly api: string,
    readonly errcode: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'WecomApiError';
  }
}

/** The body of applyevent (WeCom doc 91853 提交审批申请), built by the caller. */
export interface ApplyEvent {
  readonly creator_userid: string;
  readonly template_id: string;
  readonly use_template_approver: 0 | 1;
  readonly approver: readonly { readonly attr: 1 | 2; readonly userid: readonly string[] }[];
  readonly apply_data: { readonly contents: readonly Record<string, unknown>[] };
  readonly summary_list: readonly { readonly summary_info: readonly { text: string; lang: string }[] }[];
}

/**
 * The self-built app's calls to the WeCom server API (hil.md §3.4): every answer's errcode is checked,
 * a refused token is refreshed once and the call retried, and nothing logged names the URL or the token.
 */
export class WecomAppClient {
  private readonly tokens: AccessTokens;

  constructor(
    private readonly deps: {
      readonly app: WecomAppConfig;
      readonly http: AxiosInstance;
      readonly logger: Logger;
      readonly now: () => number;
    },
  ) {
    this.tokens = new AccessTokens(() => this.fetchToken(), deps.now);
  }

  async templateControls(templateId: string): Promise<TemplateControl[]> {
    const body = await this.call('/cgi-bin/oa/gettemplatedetail', { template_id: templateId });
    return this.read('/cgi-bin/oa/gettemplatedetail', readTemplateControls(body));
  }

  /** Files the approval; its sp_no. */
  async applyEvent(event: ApplyEvent): Promise<string> {
    const body = await this.call('/cgi-bin/oa/applyevent', event);
    return this.read('/cgi-bin/oa/applyevent', readSpNo(body));
  }

  async approvalDetail(spNo: string): Promise<ApprovalState> {
    const body = await this.call('/cgi-bin/oa/getapprovaldetail', { sp_no: spNo });
    return this.read('/cgi-bin/oa/getapprovaldetail', readApprovalDetail(body));
  }

  private read<T>(api: string, value: T | undefined): T {
    if (value === undefined) throw new WecomApiError(api, 0, `WeCom ${api}: the answer has an unexpected shape`);
    return value;
  }

  /** POST with the current token; once more with a fresh one when WeCom refused the token. */
  private async call(api: string, payload: unknown): Promise<unknown> {
    const token = await this.tokens.get();
    const first = await this.post(api, token, payload);
    if (!TOKEN_ERRCODES.has(first.errcode)) return this.checked(api, first);
    this.deps.logger.info({ api, errcode: first.errcode }, 'WeCom refused the access token; fetching a new one');
    this.tokens.refused(token);
    return this.checked(api, await this.post(api, await this.tokens.get(), payload));
  }

  private checked(api: string, answer: { errcode: number; errmsg: string; body: unknown }): unknown {
    if (answer.errcode === 0) return answer.body;
    this.deps.logger.warn({ api, errcode: answer.errcode, errmsg: answer.errmsg }, 'WeCom API call refused');
    throw new WecomApiError(api, answer.errcode, `WeCom ${api} refused: errcode ${answer.errcode} ${answer.errmsg}`);
  }

  private async post(
    api: string,
    token: string,
    payload: unknown,
  ): Promise<{ errcode: number; errmsg: string; body: unknown }> {
    const body = await this.request(api, 'POST', { access_token: token }, payload);
    const status = statusOf(body);
    if (status === undefined) throw new WecomApiError(api, undefined, `WeCom ${api}: the answer has no errcode`);
    return { errcode: status.errcode, errmsg: status.errmsg.slice(0, 200), body };
  }

  private async fetchToken(): Promise<{ token: string; expiresInS: number }> {
    const api = '/cgi-bin/gettoken';
    const { corpId, secret } = this.deps.app;
    const body = await this.request(api, 'GET', { corpid: corpId, corpsecret: secret });
    const status = statusOf(body);
    if (status?.errcode !== 0) {
      this.deps.logger.warn({ api, errcode: status?.errcode, errmsg: status?.errmsg }, 'WeCom gave no access token');
      throw new WecomApiError(api, status?.errcode, `WeCom ${api} refused: errcode ${status?.errcode ?? 'none'}`);
    }
    this.deps.logger.info({ api }, 'WeCom access token fetched');
    return this.read(api, readToken(body));
  }

  /** One HTTP exchange; a transport failure becomes a WecomApiError without the URL (it holds secrets). */
  private async request(
    api: string,
    method: 'GET' | 'POST',
    params: Record<string, string>,
    payload?: unknown,
  ): Promise<unknown> {
    try {
      const response = await this.deps.http.request<unknown>({
        method,
        url: `${this.deps.app.apiBaseUrl}${api}`,
        params,
        ...(payload !== undefined ? { data: payload } : {}),
        timeout: TIMEOUT_MS,
        maxRedirects: 0,
        validateStatus: () => true,
        responseType: 'json',
      });
      if (response.status !== 200) throw new WecomApiError(api, undefined, `WeCom ${api}: HTTP ${response.status}`);
      return response.data;
    } catch (err) {
      if (err instanceof WecomApiError) throw err;
      const code = (err as { code?: unknown }).code;
      throw new WecomApiError(
        api,
        undefined,
        `WeCom ${api} unreachable${typeof code === 'string' ? ` (${code})` : ''}`,
      );
    }
  }
}
