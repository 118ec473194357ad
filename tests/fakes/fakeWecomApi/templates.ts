/**
 * The self-built app the fake WeCom API knows (its ids and secrets) and the two approval templates an
 * admin makes for it, with what WeCom would refuse in an applyevent body. Independent of app/.
 */

export const APP = {
  corpId: 'ww0123456789abcdef',
  agentId: '1000002',
  secret: 'app-secret-DO-NOT-LOG-0123456789',
  token: 'appCallbackToken',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  creator: 'robot-admin',
  defaultApprover: 'boss',
  approvalTemplate: 'tpl-approval-3TkaH5KFbrG9heEQ',
  infoTemplate: 'tpl-info-3TkaH5KFbrG9heEQ',
} as const;

export interface FakeControl {
  readonly control: string;
  readonly id: string;
  readonly title: string;
}

/** The controls gohumanloop-wework's README asks an admin to make (hil.md §3.4 item 5), and one it does not fill. */
export function humanloopControls(prefix: string): FakeControl[] {
  const titles: Array<[string, string]> = [
    ['Text', '任务ID'],
    ['Text', '对话ID'],
    ['Text', '请求ID'],
    ['Text', 'HumanLoop类型'],
    ['Textarea', '申请内容'],
    ['Textarea', '申请问题'],
    ['Textarea', '申请说明'],
    ['Date', '截止日期'],
  ];
  return titles.map(([control, title], i) => ({ control, title, id: `${control}-${prefix}${1570000000 + i}` }));
}

/** What WeCom would refuse in an applyevent body (doc 91853), as far as this fake checks. */
export function applyProblem(
  payload: Record<string, unknown>,
  templates: Map<string, FakeControl[]>,
): string | undefined {
  const controls = templates.get(String(payload['template_id']));
  if (controls === undefined) return 'template not found';
  if (typeof payload['creator_userid'] !== 'string' || payload['creator_userid'] === '') return 'no creator_userid';
  const approver = payload['approver'];
  if (!Array.isArray(approver) || approver.length === 0) return 'no approver';
  const contents = (payload['apply_data'] as { contents?: unknown } | undefined)?.contents;
  if (!Array.isArray(contents)) return 'no apply_data.contents';
  for (const c of contents as Array<{ id?: string; control?: string; value?: { text?: unknown } }>) {
    const known = controls.find((k) => k.id === c.id);
    if (known === undefined || known.control !== c.control) return `unknown control ${String(c.id)}`;
    if (typeof c.value?.text !== 'string') return `control ${known.id} has no text value`;
  }
  return undefined;
}
