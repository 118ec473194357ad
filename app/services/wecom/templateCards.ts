import { randomBytes } from 'node:crypto';
import { CARD_LIMITS, CARD_TEXT_LIMITS, TASK_ID_PATTERN, cardProblems } from './templateCardRules';
import type { ButtonInteractionCard, CardButton, TemplateCard } from './templateCardTypes';

/**
 * Template cards for AI-bot replies (wecom-aibot-protocol.md §7), sent as a passive `template_card`
 * (§6.1/§6.3), inside `stream_with_template_card` (§6.4) or as an `update_template_card` answer (§6.5).
 * The types are in templateCardTypes.ts and the rules in templateCardRules.ts; both are re-exported here.
 */
export type {
  ButtonInteractionCard,
  CardAction,
  CardButton,
  CardCheckbox,
  CardHorizontalItem,
  CardImage,
  CardImageTextArea,
  CardJump,
  CardMainTitle,
  CardSelector,
  CardSubmitButton,
  CardVerticalItem,
  MultipleInteractionCard,
  NewsNoticeCard,
  TemplateCard,
  TextNoticeCard,
  VoteInteractionCard,
} from './templateCardTypes';
export { CARD_LIMITS, CARD_TEXT_LIMITS, cardProblems } from './templateCardRules';

export class CardError extends Error {
  readonly code = 'CARD_INVALID';
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super(`invalid template card: ${issues.join('; ')}`);
    this.name = 'CardError';
    this.issues = issues;
  }
}

/** Cuts to `max` code points with a trailing "…" (so a surrogate pair is never split). */
export function fitText(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(max - 1, 0)).join('')}…`;
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
export function buttonCard(opts: {
  title: string;
  desc?: string;
  buttons: readonly CardButton[];
  taskId: string;
}): ButtonInteractionCard {
  const mainTitle: { title?: string; desc?: string } = {};
  if (opts.title !== '') mainTitle.title = fitText(opts.title, CARD_TEXT_LIMITS.title);
  if (opts.desc !== undefined && opts.desc !== '') mainTitle.desc = fitText(opts.desc, CARD_TEXT_LIMITS.desc);
  const buttons = opts.buttons.map((b): CardButton => ({
    text: fitText(b.text, CARD_TEXT_LIMITS.buttonText),
    key: b.key,
    ...(b.style === undefined ? {} : { style: b.style }),
  }));
  return assertValid({
    card_type: 'button_interaction',
    main_title: mainTitle,
    button_list: buttons,
    task_id: opts.taskId,
  });
}

/** Suffix: time (base36) + 64 random bits (base36); 30 characters at most. */
const SUFFIX_MAX = 30;

/**
 * A fresh task_id (§7: unique per bot, `[0-9A-Za-z_\-@]`, ≤ 128 bytes). Time plus randomness keeps ids unique
 * across restarts and replicas without coordination.
 * @throws CardError when `prefix` has other characters or leaves no room for the suffix.
 */
export function newTaskId(prefix: string): string {
  const maxPrefix = CARD_LIMITS.taskIdBytes - 1 - SUFFIX_MAX;
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
export function updateCardReplyBody(card: TemplateCard, userids?: readonly string[]): Record<string, unknown> {
  const body: Record<string, unknown> = { response_type: 'update_template_card' };
  if (userids !== undefined) body['userids'] = userids;
  body['template_card'] = assertValid(card);
  return body;
}

export function updateCardReplyJson(card: TemplateCard, userids?: readonly string[]): string {
  return JSON.stringify(updateCardReplyBody(card, userids));
}

/** Passive template_card reply to enter_chat or a user message (§6.1/§6.3). Validated before sending. */
export function templateCardReplyBody(card: TemplateCard): Record<string, unknown> {
  return { msgtype: 'template_card', template_card: assertValid(card) };
}

export function templateCardReplyJson(card: TemplateCard): string {
  return JSON.stringify(templateCardReplyBody(card));
}
