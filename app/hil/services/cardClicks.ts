import type { BotProfile } from '../../config';
import type { Texts } from '../../config/texts';
import type { EventReply } from '../../services/channel';
import { chatAddressOf, partyOf } from '../../services/turn/conversationScope';
import type { WecomEvent } from '../../services/wecom/inbound';
import { type TemplateCard, buttonCard, updateCardReplyBody } from '../../services/wecom/templateCards';
import { type HilRequest, OPEN_STATUSES } from '../store/hilRequests';
import { approvalCard, closedCard } from './hilRendering';
import { mayAnswer } from './hilTargets';

/**
 * What every click on a request's card shares (the approval buttons of cardCapture, the per-action
 * buttons of actionCapture): the update_template_card reply within WeCom's 5 s (wecom-aibot-protocol.md
 * §6.5), the card of a request nobody knows, and who may click an open request (hil.md §7.4 item 1).
 */
export function updateCard(card: TemplateCard, userids?: readonly string[]): EventReply {
  return { kind: 'reply', purpose: 'update_card', body: updateCardReplyBody(card, userids) };
}

export function unknownCard(texts: Texts, taskId: string): EventReply {
  const buttons = [{ text: texts.HIL_BUTTON_DONE, key: 'hil:gone', style: 2 as const }];
  return updateCard(buttonCard({ title: texts.HIL_CARD_UNKNOWN, buttons, taskId }));
}

export type ClickGate =
  | { readonly kind: 'refused'; readonly reply: EventReply }
  | {
      readonly kind: 'open';
      readonly party: ReturnType<typeof partyOf>;
      readonly chat: ReturnType<typeof chatAddressOf>;
    };

/**
 * An ended request shows its final card to everyone; a clicker who may not answer sees 无权限 in their
 * own view only, and the request stays open; anyone else may go on.
 */
export function clickGate(bot: BotProfile, event: WecomEvent, request: HilRequest, texts: Texts): ClickGate {
  if (!OPEN_STATUSES.includes(request.status))
    return { kind: 'refused', reply: updateCard(closedCard(request, texts)) };
  const party = partyOf(event);
  const chat = chatAddressOf(bot.key, party);
  const sameChat = request.target.botKey === bot.key && request.target.chatid === chat.chatid;
  if (!mayAnswer(request, party.userid, sameChat)) {
    const reply = updateCard(approvalCard(request, texts, texts.HIL_NO_PERMISSION), [party.userid]);
    return { kind: 'refused', reply };
  }
  return { kind: 'open', party, chat };
}
