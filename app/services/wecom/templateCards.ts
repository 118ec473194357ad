import { randomBytes } from 'node:crypto';
import { utf8Length } from './utf8';

/**
 * Template cards for AI-bot replies (wecom-aibot-protocol.md §7), sent as a passive `template_card`
 * (§6.1/§6.3), inside `stream_with_template_card` (§6.4) or as an `update_template_card` answer (§6.5).
 * Only the two card types the gateway uses are modelled; `action_menu` is deliberately left out, which also
 * keeps text_notice's "task_id required with action_menu" rule out of scope.
 */
export interface CardButton { readonly text: string; readonly key: string; readonly style?: 1 | 2 | 3 | 4 }

export interface ButtonInteractionCard {
  readonly card_type: 'button_interaction';
  readonly main_title: { readonly title?: string; readonly desc?: string };
  readonly sub_title_text?: string;
  readonly button_list: readonly CardButton[];
  readonly task_id: string;
  readonly feedback?: { readonly id: string };
}

export interface TextNoticeCard {
  readonly card_type: 'text_notice';
  readonly main_title?: { title?: string; desc?: string };
  readonly sub_title_text?: string;
  readonly card_action: { readonly type: 1 | 2; readonly url?: string; readonly appid?: string; readonly pagepath?: string };
  readonly jump_list?: ReadonlyArray<{ type: 0 | 1 | 2 | 3; title: string; url?: string; appid?: string; pagepath?: string; question?: string }>;
  readonly task_id?: string;
}

export type TemplateCard = ButtonInteractionCard | TextNoticeCard;

/** Limits WeCom documents (§7). */
const MAX_BUTTONS = 6;
const MAX_JUMPS = 3;
const MAX_TASK_ID_BYTES = 128;
const MAX_KEY_BYTES = 1024;
const MAX_QUESTION_BYTES = 200;
const TASK_ID_PATTERN = /^[0-9A-Za-z_\-@]+$/;

/**
 * Text caps in code points. WeCom documents none (§7 lists the fields only); these are OUR conservative
 * choices, meant to keep a card readable on a phone. Enforced by cardProblems, applied by buttonCard.
 */
export const CARD_TEXT_LIMITS = { title: 36, desc: 44, subTitle: 160, buttonText: 12 } as const;

export class CardError extends Error {
  readonly code = 'CARD_INVALID';
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super(`invalid template card: ${issues.join('; ')}`);
    this.name = 'CardError';
    this.issues = issues;
  }
}

const codePoints = (text: string): number => Array.from(text).length;

/** Cuts to `max` code points with a trailing "…" (so a surrogate pair is never split). */
export function fitText(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(max - 1, 0)).join('')}…`;
}

function textProblems(where: string, text: string | undefined, max: number): string[] {
  if (text === undefined || codePoints(text) <= max) return [];
  return [`${where} is ${codePoints(text)} characters, more than ${max}`];
}

/** Title/desc/sub-title caps shared by both card types (our choice, see CARD_TEXT_LIMITS). */
function commonTextProblems(card: TemplateCard): string[] {
  return [
    ...textProblems('main_title.title', card.main_title?.title, CARD_TEXT_LIMITS.title),
    ...textProblems('main_title.desc', card.main_title?.desc, CARD_TEXT_LIMITS.desc),
    ...textProblems('sub_title_text', card.sub_title_text, CARD_TEXT_LIMITS.subTitle),
  ];
}

/** task_id: `[0-9A-Za-z_\-@]`, ≤ 128 bytes (§7). */
function taskIdProblems(taskId: string | undefined, required: boolean): string[] {
  if (taskId === undefined || taskId === '') return required ? ['task_id is required'] : [];
  const problems: string[] = [];
  if (!TASK_ID_PATTERN.test(taskId)) problems.push('task_id may only contain 0-9 A-Z a-z _ - @');
  if (utf8Length(taskId) > MAX_TASK_ID_BYTES) problems.push(`task_id is longer than ${MAX_TASK_ID_BYTES} bytes`);
  return problems;
}

/** button_list: 1..6 buttons, style 1-4, key ≤ 1024 bytes (§7); non-empty text/key because a blank button is useless. */
function buttonProblems(buttons: readonly CardButton[] | undefined): string[] {
  const list = buttons ?? [];
  const problems: string[] = [];
  if (list.length < 1 || list.length > MAX_BUTTONS) problems.push(`button_list needs 1 to ${MAX_BUTTONS} buttons, got ${list.length}`);
  list.forEach((button, i) => {
    const where = `button_list[${i}]`;
    if (button.text === '') problems.push(`${where}.text is empty`);
    problems.push(...textProblems(`${where}.text`, button.text, CARD_TEXT_LIMITS.buttonText));
    if (button.key === '') problems.push(`${where}.key is empty`);
    if (utf8Length(button.key) > MAX_KEY_BYTES) problems.push(`${where}.key is longer than ${MAX_KEY_BYTES} bytes`);
    if (button.style !== undefined && ![1, 2, 3, 4].includes(button.style)) problems.push(`${where}.style must be 1 to 4`);
  });
  return problems;
}

function buttonCardProblems(card: ButtonInteractionCard): string[] {
  const problems: string[] = [];
  if (!card.main_title?.title && !card.main_title?.desc) problems.push('main_title needs a title or a desc');
  return [...problems, ...buttonProblems(card.button_list), ...taskIdProblems(card.task_id, true)];
}

/** card_action type 1 opens `url`, type 2 opens the mini-program `appid` (§7). */
function actionProblems(action: TextNoticeCard['card_action'] | undefined): string[] {
  if (action === undefined) return ['card_action is required'];
  if (action.type === 1) return action.url ? [] : ['card_action of type 1 needs a url'];
  if (action.type === 2) return action.appid ? [] : ['card_action of type 2 needs an appid'];
  return ['card_action.type must be 1 or 2'];
}

/** jump_list ≤ 3; type 3 ("触发消息智能回复") needs `question` ≤ 200 bytes (§7). */
function jumpProblems(jumps: TextNoticeCard['jump_list']): string[] {
  const list = jumps ?? [];
  const problems: string[] = [];
  if (list.length > MAX_JUMPS) problems.push(`jump_list allows at most ${MAX_JUMPS} entries, got ${list.length}`);
  list.forEach((jump, i) => {
    if (jump.type === 3 && !jump.question) problems.push(`jump_list[${i}] of type 3 needs a question`);
    if (jump.question !== undefined && utf8Length(jump.question) > MAX_QUESTION_BYTES) {
      problems.push(`jump_list[${i}].question is longer than ${MAX_QUESTION_BYTES} bytes`);
    }
  });
  return problems;
}

function textNoticeProblems(card: TextNoticeCard): string[] {
  const problems: string[] = [];
  if (!card.main_title?.title && !card.sub_title_text) problems.push('text_notice needs main_title.title or sub_title_text');
  return [...problems, ...actionProblems(card.card_action), ...jumpProblems(card.jump_list), ...taskIdProblems(card.task_id, false)];
}

/**
 * Every rule the card breaks, as readable strings (empty when valid). Checks the runtime value, not just the
 * type, because cards are assembled from Dify/LLM output and a rejected card fails silently on WeCom's side.
 */
export function cardProblems(card: TemplateCard): string[] {
  const typed = card.card_type === 'button_interaction' ? buttonCardProblems(card)
    : card.card_type === 'text_notice' ? textNoticeProblems(card)
      : [`unsupported card_type ${JSON.stringify((card as { card_type?: unknown }).card_type)}`];
  return [...typed, ...commonTextProblems(card)];
}

function assertValid<T extends TemplateCard>(card: T): T {
  const problems = cardProblems(card);
  if (problems.length > 0) throw new CardError(problems);
  return card;
}

/**
 * A button_interaction card (§7). Texts come from Dify/LLM output, so over-long ones are cut with "…" rather
 * than failing; keys are identifiers echoed back in template_card_event, so they are never cut.
 * @throws CardError when the result still breaks a rule (e.g. 7 buttons, a key over 1024 bytes).
 */
export function buttonCard(opts: { title: string; desc?: string; buttons: readonly CardButton[]; taskId: string }): ButtonInteractionCard {
  const mainTitle: { title?: string; desc?: string } = {};
  if (opts.title !== '') mainTitle.title = fitText(opts.title, CARD_TEXT_LIMITS.title);
  if (opts.desc !== undefined && opts.desc !== '') mainTitle.desc = fitText(opts.desc, CARD_TEXT_LIMITS.desc);
  const buttons = opts.buttons.map((b): CardButton => ({
    text: fitText(b.text, CARD_TEXT_LIMITS.buttonText),
    key: b.key,
    ...(b.style === undefined ? {} : { style: b.style }),
  }));
  return assertValid({ card_type: 'button_interaction', main_title: mainTitle, button_list: buttons, task_id: opts.taskId });
}

/** Suffix: time (base36) + 64 random bits (base36); 30 characters at most. */
const SUFFIX_MAX = 30;

/**
 * A fresh task_id (§7: unique per bot, `[0-9A-Za-z_\-@]`, ≤ 128 bytes). Time plus randomness keeps ids unique
 * across restarts and replicas without coordination.
 * @throws CardError when `prefix` has other characters or leaves no room for the suffix.
 */
export function newTaskId(prefix: string): string {
  const maxPrefix = MAX_TASK_ID_BYTES - 1 - SUFFIX_MAX;
  if (!TASK_ID_PATTERN.test(prefix) || prefix.length > maxPrefix) {
    throw new CardError([`task_id prefix must be 1 to ${maxPrefix} of 0-9 A-Z a-z _ - @`]);
  }
  const random = BigInt(`0x${randomBytes(8).toString('hex')}`).toString(36);
  return `${prefix}_${Date.now().toString(36)}${random}`;
}

/**
 * Answer to template_card_event (§6.5). `userids` omitted = update for everyone; it is sent as given otherwise.
 * The card's task_id must equal the event's (the caller's job). Validated, since WeCom allows one try in 5 s.
 */
export function updateCardReplyJson(card: TemplateCard, userids?: readonly string[]): string {
  const body: Record<string, unknown> = { response_type: 'update_template_card' };
  if (userids !== undefined) body['userids'] = userids;
  body['template_card'] = assertValid(card);
  return JSON.stringify(body);
}

/** Passive template_card reply to enter_chat or a user message (§6.1/§6.3). Validated before sending. */
export function templateCardReplyJson(card: TemplateCard): string {
  return JSON.stringify({ msgtype: 'template_card', template_card: assertValid(card) });
}
