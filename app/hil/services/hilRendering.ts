import type { Texts } from '../../config/texts';
import type { OutboundMessage } from '../../services/channel';
import { type ButtonInteractionCard, CARD_TEXT_LIMITS, buttonCard, fitText } from '../../services/wecom/templateCards';
import type { HilRequest } from '../store/hilRequests';
import { actionButtons, actionsOf } from './hilActions';

/**
 * How a request looks in WeCom (hil.md §7.3): an approval is a button_interaction card with 批准 / 拒绝 /
 * 填写意见 where a card can go, everything else markdown headed `[#<short_id> <task>]` (hil-mcp's
 * convention, which the quote-reply capture reads back).
 */

/** The button actions, echoed back as `hil:<action>:<short_id>` in template_card_event (§5.10). */
export const CARD_ACTIONS = ['approve', 'reject', 'comment', 'done'] as const;
export type CardAction = (typeof CARD_ACTIONS)[number];

export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** A markdown message is at most 20480 bytes (§8); the context shown is kept far below that. */
const CONTEXT_CHARS = 1500;

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  if (typeof value === 'object' && 'function_name' in value) {
    const fn = value as { function_name?: unknown; arguments?: unknown; keyword_arguments?: unknown };
    const args = JSON.stringify({ args: fn.arguments ?? [], kwargs: fn.keyword_arguments ?? {} });
    return `函数 ${String(fn.function_name)} ${args}`;
  }
  return JSON.stringify(value);
}

/** GoHumanLoop's context: `question`, `message` (a string, or the function being guarded), `additional` (§2.3). */
export function questionOf(request: HilRequest): string {
  const question = describe(request.context['question']).trim();
  return question !== '' ? question : describe(request.context['message']).trim();
}

function detailsOf(request: HilRequest): string {
  const question = describe(request.context['question']).trim();
  const parts = [question === '' ? '' : describe(request.context['message']), describe(request.context['additional'])];
  return fitText(
    parts
      .map((p) => p.trim())
      .filter((p) => p !== '')
      .join('\n\n'),
    CONTEXT_CHARS,
  );
}

/** `[#3f2a9c1b my-project]`, or `[#3f2a9c1b]` without a task (hil-mcp's header, hil.md §4.4). */
export function headerOf(request: HilRequest): string {
  const task = request.taskId.trim();
  return task === '' ? `[#${request.shortId}]` : `[#${request.shortId} ${task}]`;
}

function hintOf(request: HilRequest, texts: Texts): string {
  const actions = actionsOf(request);
  const names = actions?.map((a) => a.title).join(' / ') ?? '';
  switch (request.loopType) {
    case 'approval':
      if (actions !== undefined) return fill(texts.HIL_FORM_CHOICE_HINT, { actions: names });
      return fill(texts.HIL_APPROVAL_HINT, { id: request.shortId });
    case 'information':
      return actions !== undefined && actions.length > 1
        ? fill(texts.HIL_FORM_ACTIONS_HINT, { actions: names })
        : texts.HIL_QUOTE_HINT;
    case 'conversation':
      return texts.HIL_CONVERSATION_HINT;
    default: {
      const exhaustive: never = request.loopType;
      return exhaustive;
    }
  }
}

export function requestMarkdown(request: HilRequest, texts: Texts): string {
  const title = request.loopType === 'approval' ? ` ${texts.HIL_CARD_TITLE}` : '';
  const details = detailsOf(request);
  const question = fitText(questionOf(request), CONTEXT_CHARS);
  return [`**${headerOf(request)}**${title}`, question, details, hintOf(request, texts)]
    .filter((p) => p !== '')
    .join('\n\n');
}

function keyOf(action: CardAction, request: HilRequest): string {
  return `hil:${action}:${request.shortId}`;
}

function cardOf(
  request: HilRequest,
  title: string,
  buttons: ButtonInteractionCard['button_list'],
): ButtonInteractionCard {
  const card = buttonCard({ title, desc: headerOf(request), buttons, taskId: request.cardTaskId ?? '' });
  const question = questionOf(request);
  return {
    ...card,
    ...(question === '' ? {} : { sub_title_text: fitText(question, CARD_TEXT_LIMITS.subTitle) }),
    horizontal_content_list: [{ keyname: '任务', value: fitText(request.taskId, 30) }],
  };
}

/** The card asking for a decision (hil.md §7.3); its task_id is the request's cardTaskId. */
export function approvalCard(request: HilRequest, texts: Texts, title = texts.HIL_CARD_TITLE): ButtonInteractionCard {
  const actions = actionsOf(request);
  if (actions !== undefined) return cardOf(request, title, actionButtons(request, actions));
  return cardOf(request, title, [
    { text: texts.HIL_BUTTON_APPROVE, style: 1, key: keyOf('approve', request) },
    { text: texts.HIL_BUTTON_REJECT, style: 2, key: keyOf('reject', request) },
    { text: texts.HIL_BUTTON_COMMENT, style: 3, key: keyOf('comment', request) },
  ]);
}

/** What an ended request's state reads as: 已批准 ✅ 由 zhangsan, 已过期, 已取消, 已处理. */
export function stateLine(request: HilRequest, texts: Texts): string {
  const userid = request.respondedBy ?? '';
  switch (request.status) {
    case 'approved':
      return fill(texts.HIL_APPROVED_BY, { userid });
    case 'rejected':
      return fill(texts.HIL_REJECTED_BY, { userid });
    case 'expired':
      return texts.HIL_EXPIRED;
    case 'cancelled':
      return texts.HIL_CANCELLED;
    case 'completed': {
      const action = request.response?.['action_title'];
      return typeof action === 'string' ? fill(texts.HIL_ACTION_BY, { action, userid }) : texts.HIL_CLOSED;
    }
    case 'pending':
    case 'inprogress':
    case 'error':
      return texts.HIL_CLOSED;
    default: {
      const exhaustive: never = request.status;
      return exhaustive;
    }
  }
}

/** The card once the request ended: its state as the title, one inert button (hil.md §7.4: keep the card type). */
export function closedCard(request: HilRequest, texts: Texts): ButtonInteractionCard {
  return cardOf(request, stateLine(request, texts), [
    { text: texts.HIL_BUTTON_DONE, style: 2, key: keyOf('done', request) },
  ]);
}

/** How the request goes out: a card when the approval has a card task id and the chat may take one. */
export function outboundOf(request: HilRequest, texts: Texts, cardAllowed: boolean): OutboundMessage {
  if (request.loopType === 'approval' && request.cardTaskId !== null && cardAllowed)
    return { kind: 'card', card: approvalCard(request, texts) };
  return { kind: 'markdown', text: requestMarkdown(request, texts) };
}

/** One line of a list of waiting requests (the hint and /pending). */
export function listLine(request: HilRequest): string {
  return `${headerOf(request)} ${fitText(questionOf(request), 60)}`;
}
