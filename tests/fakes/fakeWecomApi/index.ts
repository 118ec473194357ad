/**
 * A fake of the WeCom server API a self-built app calls for approvals (hil.md §3.4), a real HTTP server
 * on 127.0.0.1: /cgi-bin/gettoken (counted, with expires_in and a way to expire every token issued),
 * /cgi-bin/oa/gettemplatedetail, /cgi-bin/oa/applyevent (checked against the template, answers an
 * sp_no) and /cgi-bin/oa/getapprovaldetail. Tests decide approvals here and post their callbacks with
 * ./callbacks.ts. Independent of app/.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type LocalServer, listenLocal, readBody, sendBody } from '../shared/localServer';
import { type FakeApproval, type FakeComment, detailJson } from './approvals';
import { APP, type FakeControl, applyProblem, humanloopControls } from './templates';

export { changeXml } from './approvals';
export type { FakeApproval } from './approvals';
export { APP, humanloopControls } from './templates';
export type { FakeControl } from './templates';

interface Failure {
  readonly errcode: number;
  readonly errmsg: string;
}

export class FakeWecomApi {
  readonly approvals = new Map<string, FakeApproval>();
  readonly templates = new Map<string, FakeControl[]>([
    [APP.approvalTemplate, humanloopControls('a')],
    [APP.infoTemplate, humanloopControls('i')],
  ]);
  tokenFetches = 0;
  templateReads = 0;
  detailReads = 0;
  /** Calls answered 42001 because their token was expired. */
  expiredCalls = 0;
  /** Seconds in gettoken's expires_in. */
  expiresIn = 7200;
  /** How long gettoken takes: concurrent callers overlap with a fetch under way. */
  tokenDelayMs = 50;
  /** How long a refusal of an expired token takes: concurrent calls are all refused before any refresh. */
  expiredDelayMs = 0;
  private readonly valid = new Set<string>();
  private readonly expired = new Set<string>();
  private nextApplyFailure: Failure | undefined;
  private serial = 0;
  private server: LocalServer | undefined;

  get origin(): string {
    if (this.server === undefined) throw new Error('fake WeCom API not started');
    return this.server.origin;
  }

  async start(): Promise<this> {
    this.server = await listenLocal((req, res) => void this.handle(req, res));
    return this;
  }

  close(): Promise<void> {
    return this.server?.close() ?? Promise.resolve();
  }

  /** Every token issued so far is expired: the next call with one answers errcode 42001. */
  expireTokens(): void {
    for (const token of this.valid) this.expired.add(token);
    this.valid.clear();
  }

  failNextApply(errcode: number, errmsg: string): void {
    this.nextApplyFailure = { errcode, errmsg };
  }

  approval(spNo: string): FakeApproval {
    const found = this.approvals.get(spNo);
    if (found === undefined) throw new Error(`no approval ${spNo}`);
    return found;
  }

  /** The approver decides (2 同意 / 3 驳回) with a speech, optionally after a comment (备注). */
  decide(spNo: string, status: 2 | 3, speech: string, comment?: FakeComment): FakeApproval {
    const a = this.approval(spNo);
    const time = Math.floor(Date.now() / 1000);
    a.records = a.records.map((details) => details.map((d) => ({ ...d, status, speech, time })));
    if (comment !== undefined) a.comments = [...a.comments, comment];
    a.status = status;
    return a;
  }

  /** The applicant withdrew it (已撤销), or anything else WeCom may say (6 通过后撤销, 7 已删除). */
  setStatus(spNo: string, status: number): FakeApproval {
    const a = this.approval(spNo);
    a.status = status;
    return a;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    if (url.pathname === '/cgi-bin/gettoken' && req.method === 'GET') return this.token(url, res);
    if (req.method !== 'POST') return json(res, { errcode: 40071, errmsg: 'method not allowed' });
    const token = url.searchParams.get('access_token') ?? '';
    if (this.expired.has(token)) {
      this.expiredCalls += 1;
      await new Promise((r) => setTimeout(r, this.expiredDelayMs));
      return json(res, { errcode: 42001, errmsg: 'access_token expired' });
    }
    if (!this.valid.has(token)) return json(res, { errcode: 40014, errmsg: 'invalid access_token' });
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return json(res, { errcode: 47001, errmsg: 'data format error' });
    }
    switch (url.pathname) {
      case '/cgi-bin/oa/gettemplatedetail':
        return this.templateDetail(payload, res);
      case '/cgi-bin/oa/applyevent':
        return this.apply(payload, res);
      case '/cgi-bin/oa/getapprovaldetail':
        return this.detail(payload, res);
      default:
        return json(res, { errcode: 404, errmsg: 'no such api' });
    }
  }

  private async token(url: URL, res: ServerResponse): Promise<void> {
    this.tokenFetches += 1;
    await new Promise((r) => setTimeout(r, this.tokenDelayMs));
    if (url.searchParams.get('corpid') !== APP.corpId || url.searchParams.get('corpsecret') !== APP.secret)
      return json(res, { errcode: 40001, errmsg: 'invalid credential' });
    const token = `token-${this.tokenFetches}-${Math.random().toString(36).slice(2)}`;
    this.valid.add(token);
    json(res, { errcode: 0, errmsg: 'ok', access_token: token, expires_in: this.expiresIn });
  }

  private templateDetail(payload: Record<string, unknown>, res: ServerResponse): void {
    this.templateReads += 1;
    const controls = this.templates.get(String(payload['template_id']));
    if (controls === undefined) return json(res, { errcode: 301025, errmsg: 'template not found' });
    json(res, {
      errcode: 0,
      errmsg: 'ok',
      template_names: [{ text: 'HumanLoop', lang: 'zh_CN' }],
      template_content: {
        controls: controls.map((c) => ({
          property: {
            control: c.control,
            id: c.id,
            title: [{ text: c.title, lang: 'zh_CN' }],
            require: 0,
            un_print: 0,
          },
          config: {},
        })),
      },
    });
  }

  private apply(payload: Record<string, unknown>, res: ServerResponse): void {
    const failure = this.nextApplyFailure;
    this.nextApplyFailure = undefined;
    if (failure !== undefined) return json(res, failure);
    const problem = applyProblem(payload, this.templates);
    if (problem !== undefined) return json(res, { errcode: 301025, errmsg: problem });
    this.serial += 1;
    const spNo = `202612${String(this.serial).padStart(6, '0')}`;
    const approvers = (payload['approver'] as Array<{ userid: string[] }>).flatMap((a) => a.userid);
    this.approvals.set(spNo, {
      spNo,
      templateId: String(payload['template_id']),
      creator: String(payload['creator_userid']),
      applied: payload,
      status: 1,
      records: [approvers.map((userid) => ({ userid, speech: '', status: 1, time: 0 }))],
      comments: [],
    });
    json(res, { errcode: 0, errmsg: 'ok', sp_no: spNo });
  }

  private detail(payload: Record<string, unknown>, res: ServerResponse): void {
    this.detailReads += 1;
    const found = this.approvals.get(String(payload['sp_no']));
    if (found === undefined) return json(res, { errcode: 301055, errmsg: 'no approval auth' });
    json(res, detailJson(found));
  }
}

function json(res: ServerResponse, body: unknown): void {
  sendBody(res, 200, JSON.stringify(body), { 'Content-Type': 'application/json; charset=utf-8' });
}

export async function startFakeWecomApi(): Promise<FakeWecomApi> {
  return new FakeWecomApi().start();
}
