import { utf8Length } from './utf8';
import type {
  CardAction,
  CardButton,
  CardCheckbox,
  CardHorizontalItem,
  CardImage,
  CardImageTextArea,
  CardJump,
  CardSelector,
  CardSubmitButton,
  CardVerticalItem,
} from './templateCardTypes';

/**
 * Checks of the sub-structs of a template card (wecom-aibot-protocol.md §7). Each returns readable problems,
 * empty when valid; templateCardRules.ts combines them per card type.
 */

/** Limits WeCom documents (§7). */
export const CARD_LIMITS = {
  buttons: 6,
  jumps: 3,
  horizontal: 6,
  vertical: 4,
  voteOptions: 20,
  selectors: 3,
  selectOptions: 10,
  taskIdBytes: 128,
  keyBytes: 1024,
  optionIdBytes: 128,
  questionBytes: 200,
  minAspect: 1.3,
  maxAspect: 2.25,
} as const;
export const TASK_ID_PATTERN = /^[0-9A-Za-z_\-@]+$/;

/**
 * Text caps in code points. WeCom documents none (§7 lists the fields only); these are OUR conservative
 * choices, meant to keep a card readable on a phone. Enforced by cardProblems, applied by buttonCard.
 */
export const CARD_TEXT_LIMITS = { title: 36, desc: 44, subTitle: 160, buttonText: 12 } as const;

const codePoints = (text: string): number => Array.from(text).length;

export function textProblems(where: string, text: string | undefined, max: number): string[] {
  if (text === undefined || codePoints(text) <= max) return [];
  return [`${where} is ${codePoints(text)} characters, more than ${max}`];
}

/** A key echoed back in template_card_event: non-empty, ≤ 1024 bytes (§7). */
export function keyProblems(where: string, key: string | undefined): string[] {
  if (key === undefined || key === '') return [`${where} is empty`];
  return utf8Length(key) > CARD_LIMITS.keyBytes ? [`${where} is longer than ${CARD_LIMITS.keyBytes} bytes`] : [];
}

/** `list.length` within min..max; `undefined` counts as empty. */
export function countProblems(where: string, list: readonly unknown[] | undefined, min: number, max: number): string[] {
  const n = list?.length ?? 0;
  if (n >= min && n <= max) return [];
  return [
    min === 0
      ? `${where} allows at most ${max} entries, got ${n}`
      : `${where} needs ${min} to ${max} entries, got ${n}`,
  ];
}

/** task_id: `[0-9A-Za-z_\-@]`, ≤ 128 bytes (§7). */
export function taskIdProblems(taskId: string | undefined, required: boolean): string[] {
  if (taskId === undefined || taskId === '') return required ? ['task_id is required'] : [];
  const problems: string[] = [];
  if (!TASK_ID_PATTERN.test(taskId)) problems.push('task_id may only contain 0-9 A-Z a-z _ - @');
  if (utf8Length(taskId) > CARD_LIMITS.taskIdBytes)
    problems.push(`task_id is longer than ${CARD_LIMITS.taskIdBytes} bytes`);
  return problems;
}

/** button_list: 1..6 buttons, style 1-4, key ≤ 1024 bytes (§7); non-empty text/key because a blank button is useless. */
export function buttonProblems(buttons: readonly CardButton[] | undefined): string[] {
  const list = buttons ?? [];
  const problems: string[] = [];
  if (list.length < 1 || list.length > CARD_LIMITS.buttons) {
    problems.push(`button_list needs 1 to ${CARD_LIMITS.buttons} buttons, got ${list.length}`);
  }
  list.forEach((button, i) => {
    const where = `button_list[${i}]`;
    if (button.text === '') problems.push(`${where}.text is empty`);
    problems.push(...textProblems(`${where}.text`, button.text, CARD_TEXT_LIMITS.buttonText));
    problems.push(...keyProblems(`${where}.key`, button.key));
    if (button.style !== undefined && ![1, 2, 3, 4].includes(button.style))
      problems.push(`${where}.style must be 1 to 4`);
  });
  return problems;
}

/** card_action type 1 opens `url`, type 2 opens the mini-program `appid` (§7). */
export function actionProblems(action: CardAction | undefined): string[] {
  if (action === undefined) return ['card_action is required'];
  if (action.type === 1) return action.url ? [] : ['card_action of type 1 needs a url'];
  if (action.type === 2) return action.appid ? [] : ['card_action of type 2 needs an appid'];
  return ['card_action.type must be 1 or 2'];
}

/** jump_list ≤ 3; type 3 ("触发消息智能回复") needs `question` ≤ 200 bytes (§7). */
export function jumpProblems(jumps: readonly CardJump[] | undefined): string[] {
  const list = jumps ?? [];
  const problems = countProblems('jump_list', list, 0, CARD_LIMITS.jumps);
  list.forEach((jump, i) => {
    if (jump.type === 3 && !jump.question) problems.push(`jump_list[${i}] of type 3 needs a question`);
    if (jump.question !== undefined && utf8Length(jump.question) > CARD_LIMITS.questionBytes) {
      problems.push(`jump_list[${i}].question is longer than ${CARD_LIMITS.questionBytes} bytes`);
    }
  });
  return problems;
}

/** horizontal_content_list ≤ 6, type 0/1/3, each with a keyname (§7). */
export function horizontalProblems(items: readonly CardHorizontalItem[] | undefined): string[] {
  const list = items ?? [];
  const problems = countProblems('horizontal_content_list', list, 0, CARD_LIMITS.horizontal);
  list.forEach((item, i) => {
    if (!item.keyname) problems.push(`horizontal_content_list[${i}].keyname is empty`);
    if (item.type !== undefined && ![0, 1, 3].includes(item.type))
      problems.push(`horizontal_content_list[${i}].type must be 0, 1 or 3`);
  });
  return problems;
}

/** vertical_content_list ≤ 4 of `{title, desc}` (§7); titles under our title cap. */
export function verticalProblems(items: readonly CardVerticalItem[] | undefined): string[] {
  const list = items ?? [];
  const problems = countProblems('vertical_content_list', list, 0, CARD_LIMITS.vertical);
  list.forEach((item, i) => {
    if (!item.title) problems.push(`vertical_content_list[${i}].title is empty`);
    problems.push(...textProblems(`vertical_content_list[${i}].title`, item.title, CARD_TEXT_LIMITS.title));
  });
  return problems;
}

/** news_notice needs `card_image` or `image_text_area`; `aspect_ratio` 1.3–2.25 when given (§7). */
export function newsImageProblems(image: CardImage | undefined, area: CardImageTextArea | undefined): string[] {
  if (image === undefined && area === undefined) return ['news_notice needs card_image or image_text_area'];
  const problems: string[] = [];
  if (image !== undefined) {
    if (!image.url) problems.push('card_image.url is empty');
    const ratio = image.aspect_ratio;
    if (ratio !== undefined && !(ratio >= CARD_LIMITS.minAspect && ratio <= CARD_LIMITS.maxAspect)) {
      problems.push(
        `card_image.aspect_ratio must be ${CARD_LIMITS.minAspect} to ${CARD_LIMITS.maxAspect}, got ${ratio}`,
      );
    }
  }
  if (area !== undefined) {
    if (!area.image_url) problems.push('image_text_area.image_url is empty');
    if (area.type === 1 && !area.url) problems.push('image_text_area of type 1 needs a url');
    if (area.type === 2 && !area.appid) problems.push('image_text_area of type 2 needs an appid');
    problems.push(...textProblems('image_text_area.title', area.title, CARD_TEXT_LIMITS.title));
  }
  return problems;
}

/** submit_button `{text, key}`: required, key ≤ 1024 bytes (§7); text under our button cap. */
export function submitProblems(button: CardSubmitButton | undefined): string[] {
  if (button === undefined) return ['submit_button is required'];
  const problems = button.text ? [] : ['submit_button.text is empty'];
  problems.push(...textProblems('submit_button.text', button.text, CARD_TEXT_LIMITS.buttonText));
  return [...problems, ...keyProblems('submit_button.key', button.key)];
}

type OptionList = CardCheckbox['option_list'] | CardSelector['option_list'];

/** Option ids: non-empty, ≤ 128 bytes (§7), unique within their list (ours: answers are mapped back by id). */
export function optionProblems(where: string, options: OptionList | undefined, max: number): string[] {
  const list = options ?? [];
  const problems = countProblems(`${where}.option_list`, list, 1, max);
  const seen = new Set<string>();
  list.forEach((option, i) => {
    const at = `${where}.option_list[${i}]`;
    if (!option.id) problems.push(`${at}.id is empty`);
    else if (utf8Length(option.id) > CARD_LIMITS.optionIdBytes)
      problems.push(`${at}.id is longer than ${CARD_LIMITS.optionIdBytes} bytes`);
    else if (seen.has(option.id)) problems.push(`${at}.id ${JSON.stringify(option.id)} is repeated`);
    seen.add(option.id);
    if (!option.text) problems.push(`${at}.text is empty`);
  });
  return problems;
}
