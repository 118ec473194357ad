/**
 * The TemplateCard struct of AI-bot replies (wecom-aibot-protocol.md §7). Field names are WeCom's, so a card
 * serialises as-is. `action_menu`, `source`, `quote_area`, `emphasis_content` and `button_selection` are left
 * out because the gateway never sends them, which also keeps text_notice's "task_id required with action_menu"
 * rule out of scope. Validation lives in templateCardRules.ts.
 */
export interface CardButton {
  readonly text: string;
  readonly key: string;
  readonly style?: 1 | 2 | 3 | 4;
}

/** `main_title{title,desc}` (§7). */
export interface CardMainTitle {
  readonly title?: string;
  readonly desc?: string;
}

/** `card_action`: type 1 opens `url`, type 2 opens the mini-program `appid` (§7). */
export interface CardAction {
  readonly type: 1 | 2;
  readonly url?: string;
  readonly appid?: string;
  readonly pagepath?: string;
}

/** `jump_list[≤3]{type 0/1/2/3,title,url,appid,pagepath,question}`; type 3 asks `question` (§7). */
export interface CardJump {
  readonly type: 0 | 1 | 2 | 3;
  readonly title: string;
  readonly url?: string;
  readonly appid?: string;
  readonly pagepath?: string;
  readonly question?: string;
}

/** `horizontal_content_list[≤6]{type 0/1/3,keyname,value,url,userid}` (§7). */
export interface CardHorizontalItem {
  readonly type?: 0 | 1 | 3;
  readonly keyname: string;
  readonly value?: string;
  readonly url?: string;
  readonly userid?: string;
}

/** `vertical_content_list[≤4]{title,desc}` (§7). */
export interface CardVerticalItem {
  readonly title: string;
  readonly desc?: string;
}

/** news_notice `card_image`; `aspect_ratio` 1.3–2.25, default 1.3 (§7). */
export interface CardImage {
  readonly url: string;
  readonly aspect_ratio?: number;
}

/** news_notice `image_text_area`: a left image with title/desc; type 1 opens `url`, type 2 a mini-program. */
export interface CardImageTextArea {
  readonly type?: 0 | 1 | 2;
  readonly url?: string;
  readonly appid?: string;
  readonly pagepath?: string;
  readonly title?: string;
  readonly desc?: string;
  readonly image_url: string;
}

/** `submit_button{text,key}` of vote/multiple interaction cards (§7). */
export interface CardSubmitButton {
  readonly text: string;
  readonly key: string;
}

/** `checkbox{question_key,option_list[]{id,text,is_checked},disable,mode}`; mode 0 single, 1 multi (§7). */
export interface CardCheckbox {
  readonly question_key: string;
  readonly option_list: ReadonlyArray<{ readonly id: string; readonly text: string; readonly is_checked?: boolean }>;
  readonly disable?: boolean;
  readonly mode?: 0 | 1;
}

/** One of `select_list[]{question_key,title,disable,selected_id,option_list[]{id,text}}` (§7). */
export interface CardSelector {
  readonly question_key: string;
  readonly title?: string;
  readonly disable?: boolean;
  readonly selected_id?: string;
  readonly option_list: ReadonlyArray<{ readonly id: string; readonly text: string }>;
}

export interface ButtonInteractionCard {
  readonly card_type: 'button_interaction';
  readonly main_title: { readonly title?: string; readonly desc?: string };
  readonly sub_title_text?: string;
  readonly horizontal_content_list?: readonly CardHorizontalItem[];
  readonly button_list: readonly CardButton[];
  readonly task_id: string;
  readonly feedback?: { readonly id: string };
}

export interface TextNoticeCard {
  readonly card_type: 'text_notice';
  readonly main_title?: { title?: string; desc?: string };
  readonly sub_title_text?: string;
  readonly card_action: CardAction;
  readonly horizontal_content_list?: readonly CardHorizontalItem[];
  readonly jump_list?: ReadonlyArray<{
    type: 0 | 1 | 2 | 3;
    title: string;
    url?: string;
    appid?: string;
    pagepath?: string;
    question?: string;
  }>;
  readonly task_id?: string;
  readonly feedback?: { readonly id: string };
}

/** news_notice: `main_title`, `card_action`, one of `card_image` / `image_text_area` required (§7). */
export interface NewsNoticeCard {
  readonly card_type: 'news_notice';
  readonly main_title: CardMainTitle;
  readonly card_action: CardAction;
  readonly card_image?: CardImage;
  readonly image_text_area?: CardImageTextArea;
  readonly vertical_content_list?: readonly CardVerticalItem[];
  readonly horizontal_content_list?: readonly CardHorizontalItem[];
  readonly jump_list?: readonly CardJump[];
  readonly task_id?: string;
  readonly feedback?: { readonly id: string };
}

/** vote_interaction: `main_title`, `checkbox` (≤ 20 options), `submit_button`, `task_id` (§7). */
export interface VoteInteractionCard {
  readonly card_type: 'vote_interaction';
  readonly main_title: CardMainTitle;
  readonly checkbox: CardCheckbox;
  readonly submit_button: CardSubmitButton;
  readonly task_id: string;
  readonly feedback?: { readonly id: string };
}

/** multiple_interaction: `main_title`, `select_list` (≤ 3 selectors, ≤ 10 options each), `submit_button` (§7). */
export interface MultipleInteractionCard {
  readonly card_type: 'multiple_interaction';
  readonly main_title: CardMainTitle;
  readonly select_list: readonly CardSelector[];
  readonly submit_button: CardSubmitButton;
  readonly task_id: string;
  readonly feedback?: { readonly id: string };
}

export type TemplateCard =
  ButtonInteractionCard | TextNoticeCard | NewsNoticeCard | VoteInteractionCard | MultipleInteractionCard;
