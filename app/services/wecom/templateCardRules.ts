import {
  CARD_LIMITS,
  CARD_TEXT_LIMITS,
  actionProblems,
  buttonProblems,
  countProblems,
  horizontalProblems,
  jumpProblems,
  keyProblems,
  newsImageProblems,
  optionProblems,
  submitProblems,
  taskIdProblems,
  textProblems,
  verticalProblems,
} from './templateCardFieldRules';
import type {
  ButtonInteractionCard,
  CardCheckbox,
  CardMainTitle,
  CardSelector,
  MultipleInteractionCard,
  NewsNoticeCard,
  TemplateCard,
  TextNoticeCard,
  VoteInteractionCard,
} from './templateCardTypes';

export { CARD_LIMITS, CARD_TEXT_LIMITS, TASK_ID_PATTERN } from './templateCardFieldRules';

/**
 * The rules of each card type (wecom-aibot-protocol.md §7, table "card_type | required"). Sub-struct checks
 * are in templateCardFieldRules.ts.
 */

/** Title/desc/sub-title caps shared by all card types (our choice, see CARD_TEXT_LIMITS). */
function commonTextProblems(card: TemplateCard): string[] {
  const subTitle = 'sub_title_text' in card ? card.sub_title_text : undefined;
  return [
    ...textProblems('main_title.title', card.main_title?.title, CARD_TEXT_LIMITS.title),
    ...textProblems('main_title.desc', card.main_title?.desc, CARD_TEXT_LIMITS.desc),
    ...textProblems('sub_title_text', subTitle, CARD_TEXT_LIMITS.subTitle),
  ];
}

/** The interaction cards require `main_title` (§7); an empty one would show nothing, so a title or desc it is. */
function mainTitleProblems(title: CardMainTitle | undefined): string[] {
  return title?.title || title?.desc ? [] : ['main_title needs a title or a desc'];
}

function buttonCardProblems(card: ButtonInteractionCard): string[] {
  return [
    ...mainTitleProblems(card.main_title),
    ...buttonProblems(card.button_list),
    ...horizontalProblems(card.horizontal_content_list),
    ...taskIdProblems(card.task_id, true),
  ];
}

function textNoticeProblems(card: TextNoticeCard): string[] {
  const problems: string[] = [];
  if (!card.main_title?.title && !card.sub_title_text)
    problems.push('text_notice needs main_title.title or sub_title_text');
  return [
    ...problems,
    ...actionProblems(card.card_action),
    ...jumpProblems(card.jump_list),
    ...horizontalProblems(card.horizontal_content_list),
    ...taskIdProblems(card.task_id, false),
  ];
}

/** news_notice: `main_title.title`, `card_action`, `card_image` or `image_text_area` (§7). */
function newsNoticeProblems(card: NewsNoticeCard): string[] {
  return [
    ...(card.main_title?.title ? [] : ['news_notice needs main_title.title']),
    ...actionProblems(card.card_action),
    ...newsImageProblems(card.card_image, card.image_text_area),
    ...verticalProblems(card.vertical_content_list),
    ...horizontalProblems(card.horizontal_content_list),
    ...jumpProblems(card.jump_list),
    ...taskIdProblems(card.task_id, false),
  ];
}

/** checkbox: `question_key`, 1..20 options, `mode` 0 (single) or 1 (multi) (§7). */
function checkboxProblems(box: CardCheckbox | undefined): string[] {
  if (box === undefined) return ['checkbox is required'];
  const problems = [...keyProblems('checkbox.question_key', box.question_key)];
  if (box.mode !== undefined && box.mode !== 0 && box.mode !== 1) problems.push('checkbox.mode must be 0 or 1');
  return [...problems, ...optionProblems('checkbox', box.option_list, CARD_LIMITS.voteOptions)];
}

function voteProblems(card: VoteInteractionCard): string[] {
  return [
    ...mainTitleProblems(card.main_title),
    ...checkboxProblems(card.checkbox),
    ...submitProblems(card.submit_button),
    ...taskIdProblems(card.task_id, true),
  ];
}

/** One selector: `question_key`, 1..10 options, `selected_id` among them (ours: WeCom would show no choice). */
function selectorProblems(selector: CardSelector, i: number): string[] {
  const where = `select_list[${i}]`;
  const problems = [
    ...keyProblems(`${where}.question_key`, selector.question_key),
    ...textProblems(`${where}.title`, selector.title, CARD_TEXT_LIMITS.title),
    ...optionProblems(where, selector.option_list, CARD_LIMITS.selectOptions),
  ];
  const { selected_id: selected } = selector;
  if (selected !== undefined && !(selector.option_list ?? []).some((o) => o.id === selected)) {
    problems.push(`${where}.selected_id ${JSON.stringify(selected)} is not one of its options`);
  }
  return problems;
}

/** multiple_interaction: `main_title`, 1..3 selectors, `submit_button`, `task_id` (§7). */
function multipleProblems(card: MultipleInteractionCard): string[] {
  const selectors = card.select_list ?? [];
  return [
    ...mainTitleProblems(card.main_title),
    ...countProblems('select_list', selectors, 1, CARD_LIMITS.selectors),
    ...selectors.flatMap(selectorProblems),
    ...submitProblems(card.submit_button),
    ...taskIdProblems(card.task_id, true),
  ];
}

function typedProblems(card: TemplateCard): string[] {
  switch (card.card_type) {
    case 'button_interaction':
      return buttonCardProblems(card);
    case 'text_notice':
      return textNoticeProblems(card);
    case 'news_notice':
      return newsNoticeProblems(card);
    case 'vote_interaction':
      return voteProblems(card);
    case 'multiple_interaction':
      return multipleProblems(card);
    default:
      return [`unsupported card_type ${JSON.stringify((card as { card_type?: unknown }).card_type)}`];
  }
}

/**
 * Every rule the card breaks, as readable strings (empty when valid). Checks the runtime value, not just the
 * type, because cards are assembled from Dify/LLM output and a rejected card fails silently on WeCom's side.
 */
export function cardProblems(card: TemplateCard): string[] {
  return [...typedProblems(card), ...commonTextProblems(card)];
}
