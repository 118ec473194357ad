import type { BotProfile, Config } from '../../config';
import type { EventReply } from '../../services/channel';
import type { CardClick } from '../../services/intake/claimants';
import type { WecomEvent } from '../../services/wecom/inbound';
import type { HilRequest, HilRequests } from '../store/hilRequests';
import { clickGate, unknownCard, updateCard } from './cardClicks';
import type { HilAnswers } from './hilAnswers';
import { CARD_ACTIONS, type CardAction, approvalCard, closedCard } from './hilRendering';
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
    if (request === undefined || request.cardTaskId === null) return unknownCard(config.texts, click.task_id);
    if (action === 'done') return updateCard(closedCard(request, config.texts));
    const gate = clickGate(bot, event, request, config.texts);
    if (gate.kind === 'refused') return gate.reply;
    const { party, chat } = gate;
    if (action === 'comment') {
      await requests.setCommentWait({
        requestId: request.id,
        botKey: bot.key,
        chatid: chat.chatid,
        userid: party.userid,
        draft: null,
        until: this.deps.now() + COMMENT_WAIT_MS,
      });
      return updateCard(approvalCard(request, config.texts, config.texts.HIL_COMMENT_TITLE), [party.userid]);
    }
    const reason = await this.draftOf(request, bot.key, chat.chatid, party.userid);
    const decision = action === 'approve' ? 'approved' : 'rejected';
    const outcome = await this.deps.answers.apply(
      request,
      { kind: 'decide', decision, reason },
      { userid: party.userid, msgid: event.msgid },
    );
    return updateCard(closedCard(outcome.request, config.texts));
  }

  /** A comment written after 填写意见 is the reason of the click; the wait ends with the decision. */
  private async draftOf(request: HilRequest, botKey: string, chatid: string, userid: string): Promise<string> {
    const wait = await this.deps.requests.commentWait(botKey, chatid, userid, this.deps.now());
    if (wait === undefined || wait.requestId !== request.id) return '';
    await this.deps.requests.clearCommentWait(botKey, chatid, userid);
    return wait.draft ?? '';
  }
}
