import type { WecomAppConfig } from '../../config';
import type { TemplateControl } from '../../services/wecomApp/apiFormat';
import type { ApplyEvent } from '../../services/wecomApp/wecomAppClient';
import type { HilRequest, JsonObject } from '../store/hilRequests';

/** Text controls take what fits a screen; longer context is cut (WeCom states no limit we rely on). */
const MAX_CONTROL_CHARS = 4000;
/** A summary line is shown in the approval list and the notice card: keep it short (WeCom doc 91853). */
const MAX_SUMMARY_CHARS = 20;
const TEXT_CONTROLS = new Set(['Text', 'Textarea']);

/**
 * The controls filled by their title, as gohumanloop-wework does (hil.md §3.4 item 2); an admin makes
 * the templates with these titles. Unlike it, an object (`context.message` of a first conversation
 * turn, a function call) is written as JSON text instead of being dropped.
 */
function valuesByTitle(request: HilRequest): Record<string, string> {
  const { context } = request;
  return {
    任务ID: request.taskId,
    对话ID: request.conversationId,
    请求ID: request.requestId,
    HumanLoop类型: request.loopType,
    申请内容: textOf(context['message']),
    申请问题: textOf(context['question']),
    申请说明: textOf(context['additional']),
  };
}

function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value, null, 2);
}

function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** The approvers: metadata.approverid (a userid or a list), else the ones the client named, else the default. */
export function approversFor(app: WecomAppConfig, metadata: JsonObject, named: readonly string[]): string[] {
  const raw = metadata['approverid'];
  const list = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  if (list.length > 0) return [...new Set(list.map((v) => v.trim()))];
  return named.length > 0 ? [...named] : [app.defaultApprover];
}

/** applyevent's body (WeCom doc 91853): the template's approver choice replaced by ours (attr 2, hil.md §3.4 item 3). */
export function applyEventOf(
  app: WecomAppConfig,
  templateId: string,
  approvers: readonly string[],
  controls: readonly TemplateControl[],
  request: HilRequest,
): ApplyEvent {
  const values = valuesByTitle(request);
  const contents = controls
    .filter((c) => TEXT_CONTROLS.has(c.control))
    .flatMap((c) => {
      const title = c.titles.find((t) => values[t] !== undefined);
      if (title === undefined) return [];
      return [{ control: c.control, id: c.id, value: { text: cut(values[title] ?? '', MAX_CONTROL_CHARS) } }];
    });
  const summary = values['申请问题'] !== '' ? values['申请问题'] : (values['申请内容'] ?? '');
  return {
    creator_userid: app.creatorUserid,
    template_id: templateId,
    use_template_approver: 0,
    approver: [{ attr: 2, userid: [...approvers] }],
    apply_data: { contents },
    summary_list: [{ summary_info: [{ text: cut(summary || request.loopType, MAX_SUMMARY_CHARS), lang: 'zh_CN' }] }],
  };
}
