import type { BotProfile, Config } from '../../config';
import type { EventReply } from '../../services/channel';
import type { CardClick } from '../../services/intake/claimants';
import { chatAddressOf, partyOf } from '../../services/turn/conversationScope';
import type { WecomEvent } from '../../services/wecom/inbound';
import { type TemplateCard, buttonCard, updateCardReplyBody } from '../../services/wecom/templateCards';
import { type HilRequest, type HilRequests, OPEN_STATUSES } from '../store/hilRequests';
import type { HilAnswers } from './hilAnswers';
import { CARD_ACTIONS, type CardAction, approvalCard, closedCard } from './hilRendering';
import { mayAnswer } from './hilTargets';
import { COMMENT_WAIT_MS } from './messageCapture';

/** `hil:<action>:<short_id>`, as hilRendering writes the button keys. */
const KEY = new RegExp(`^hil:(${CARD_ACTIONS.join('|')}):([0-9a-f]{8})$`);

/**
 * Clicks on an approval card (hil.md §7.4 item 1): answered within WeCom's 5 s with an
 * update_template_card (§6.5) — 已批准 ✅ 由 <userid> for everyone, 无权限 for a clicker who is not an
 * approver (only their view; the request stays pending), 已过期 / 已取消 for an ended request. A double
 * click or a retried event finds the request answered and shows the same final card.
 */
export class CardCapture {
  constructor(
    private readonly deps: {
      readonly config: Config;
      readonly requests: HilRequests;
      readonly answers: HilAnswers;
      readonly now: () => number;
    },
  ) {}

  async claim(bot: BotProfile, event: WecomEvent, click: CardClick): Promise<EventReply | undefined> {
    const key = KEY.exec(click.event_key);
    if (key === null) return undefined;
    const [, action, shortId] = key as unknown as [string, CardAction, string];
    const { requests, config } = this.deps;
    const request = (await requests.byCardTaskId(bot.key, click.task_id)) ?? (await requests.byShortId(shortId));
    if (request === undefined || request.cardTaskId === null) return this.unknown(click.task_id);
    if (!OPEN_STATUSES.includes(request.status) || action === 'done') return update(closedCard(request, config.texts));
    const party = partyOf(event);
    const chat = chatAddressOf(bot.key, party);
    const sameChat = request.target.botKey === bot.key && request.target.chatid === chat.chatid;
    if (!mayAnswer(request, party.userid, sameChat))
      return update(approvalCard(request, config.texts, config.texts.HIL_NO_PERMISSION), [party.userid]);
    if (action === 'comment') {
      await requests.setCommentWait({
        requestId: request.id,
        botKey: bot.key,
        chatid: chat.chatid,
        userid: party.userid,
        draft: null,
        until: this.deps.now() + COMMENT_WAIT_MS,
      });
      return update(approvalCard(request, config.texts, config.texts.HIL_COMMENT_TITLE), [party.userid]);
    }
    const reason = await this.draftOf(request, bot.key, chat.chatid, party.userid);
    const decision = action === 'approve' ? 'approved' : 'rejected';
    const outcome = await this.deps.answers.apply(
      request,
      { kind: 'decide', decision, reason },
      { userid: party.userid, msgid: event.msgid },
    );
    return update(closedCard(outcome.request, config.texts));
  }

  /** A comment written after 填写意见 is the reason of the click; the wait ends with the decision. */
  private async draftOf(request: HilRequest, botKey: string, chatid: string, userid: string): Promise<string> {
    const wait = await this.deps.requests.commentWait(botKey, chatid, userid, this.deps.now());
    if (wait === undefined || wait.requestId !== request.id) return '';
    await this.deps.requests.clearCommentWait(botKey, chatid, userid);
    return wait.draft ?? '';
  }

  private unknown(taskId: string): EventReply {
    const { texts } = this.deps.config;
    return update(
      buttonCard({
        title: texts.HIL_CARD_UNKNOWN,
        buttons: [{ text: texts.HIL_BUTTON_DONE, key: 'hil:gone', style: 2 }],
        taskId,
      }),
    );
  }
}

function update(card: TemplateCard, userids?: readonly string[]): EventReply {
  return { kind: 'reply', purpose: 'update_card', body: updateCardReplyBody(card, userids) };
}
