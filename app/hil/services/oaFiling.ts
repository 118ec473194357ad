import type { Logger } from 'pino';
import type { Config, WecomAppConfig } from '../../config';
import { errorFields } from '../../logger';
import type { TemplateControl } from '../../services/wecomApp/apiFormat';
import { type WecomAppClient, WecomApiError } from '../../services/wecomApp/wecomAppClient';
import type { HilRequest, HilRequests, NewHilRequest } from '../store/hilRequests';
import type { OaApprovals } from '../store/oaApprovals';
import type { HilBackend } from './hilAsk';
import type { HilDelivery } from './hilDelivery';
import { fill } from './hilRendering';
import { applyEventOf, approversFor } from './oaForm';
import { OA_CHANNEL } from './oaOutcome';
import { OA_CONVERSATION_REFUSED, asOaRequest, isOaRequest, routesToOa } from './oaRouting';

/**
 * Files a request as a formal approval in WeCom's 审批 app (issue #16, hil.md §3.4): the template read
 * once per process, its controls filled by title, applyevent, the sp_no kept. A filing WeCom refuses
 * makes the request `error` with WeCom's errcode/errmsg as the reason its status answer shows. When the
 * client named a chat, the bot also says there "已提交审批 <sp_no>".
 */
export class OaFiling implements HilBackend {
  private readonly templates = new Map<string, Promise<TemplateControl[]>>();

  constructor(
    private readonly deps: {
      readonly config: Config;
      readonly app: WecomAppConfig;
      readonly requests: HilRequests;
      readonly approvals: OaApprovals;
      readonly client: WecomAppClient;
      readonly delivery: HilDelivery;
      readonly logger: Logger;
      readonly now: () => number;
    },
  ) {}

  route(input: NewHilRequest): NewHilRequest | undefined {
    return routesToOa(this.deps.config, input.metadata) ? asOaRequest(input) : undefined;
  }

  async deliver(request: HilRequest, asked: NewHilRequest): Promise<HilRequest> {
    const { app, approvals, requests, client, now } = this.deps;
    if (request.loopType === 'conversation') return this.fail(request, OA_CONVERSATION_REFUSED);
    const templateId = request.loopType === 'approval' ? app.approvalTemplateId : app.infoTemplateId;
    const approvers = approversFor(app, request.metadata, asked.approvers);
    if (!(await approvals.begin(request.id, templateId, approvers, now()))) return request;
    let spNo: string;
    try {
      const controls = await this.controlsOf(templateId);
      spNo = await client.applyEvent(applyEventOf(app, templateId, approvers, controls, request));
    } catch (err) {
      await approvals.failed(request.id, now());
      this.deps.logger.warn({ hil: request.id, err: errorFields(err) }, 'WeCom approval could not be filed');
      return this.fail(request, err instanceof WecomApiError ? err.message : 'the WeCom approval could not be filed');
    }
    await approvals.filed(request.id, spNo, now());
    await requests.setDelivery(request.id, 'delivered', null, now());
    this.deps.logger.info({ hil: request.id, spNo, loopType: request.loopType }, 'WeCom approval filed');
    await this.announce(asked, spNo);
    return { ...request, delivery: 'delivered' };
  }

  /** gettemplatedetail once per template and process; a failed read is tried again next time. */
  private controlsOf(templateId: string): Promise<TemplateControl[]> {
    let controls = this.templates.get(templateId);
    if (controls === undefined) {
      controls = this.deps.client.templateControls(templateId);
      this.templates.set(templateId, controls);
      controls.catch(() => this.templates.delete(templateId));
    }
    return controls;
  }

  private async fail(request: HilRequest, reason: string): Promise<HilRequest> {
    const failed = await this.deps.requests.answer(request.id, {
      status: 'error',
      response: { error: reason, channel: OA_CHANNEL },
      respondedBy: null,
      respondedAt: this.deps.now(),
    });
    return failed ?? request;
  }

  /** Best effort: the approval is filed whether or not the chat can be written to now. */
  private async announce(asked: NewHilRequest, spNo: string): Promise<void> {
    if (isOaRequest(asked)) return;
    try {
      const text = fill(this.deps.config.texts.HIL_OA_FILED, { sp_no: spNo, task: asked.taskId });
      const sent = await this.deps.delivery.sendMarkdown(asked.target, text);
      if (sent.kind === 'not_sent')
        this.deps.logger.info({ spNo, reason: sent.reason }, 'approval note not sent to the chat');
    } catch (err) {
      this.deps.logger.warn({ spNo, err: errorFields(err) }, 'approval note failed');
    }
  }
}
