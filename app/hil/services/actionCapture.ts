import type { BotProfile, Config } from '../../config';
import type { EventReply, EventSource } from '../../services/channel';
import type { CardClick, InboundClaimant } from '../../services/intake/claimants';
import type { WecomEvent } from '../../services/wecom/inbound';
import type { HilRequests } from '../store/hilRequests';
import { ACTION_KEY, actionsOf } from './hilActions';
import { clickGate, unknownCard, updateCard } from './cardClicks';
import type { HilAnswers } from './hilAnswers';
import { closedCard } from './hilRendering';

/** Where a chosen action's follow-up goes: the click's way back to the chat, kept for the request. */
export interface ActionFollowUp {
  expectLate(requestId: string, late: NonNullable<ReturnType<EventSource['reserveLate']>>): void;
  dropLate(requestId: string): void;
}

/**
 * Clicks on a card with a button per action (`hil:act:<short_id>:<n>`, a Dify form's actions): answered
 * within WeCom's 5 s with the card updated to 已选择「…」 (§6.5), like the approval card's buttons
 * (cardCapture.ts). The click's late delivery is reserved for what follows the choice (the resumed run's
 * answer). A double click or a retried event finds the request answered and shows the same final card.
 */
export class ActionCapture implements InboundClaimant {
  readonly name = 'people-in-the-loop actions';

  constructor(
    private readonly deps: {
      readonly config: Config;
      readonly requests: HilRequests;
      readonly answers: HilAnswers;
      readonly followUp: ActionFollowUp;
    },
  ) {}

  async claimCardClick(
    bot: BotProfile,
    event: WecomEvent,
    click: CardClick,
    source: EventSource,
  ): Promise<EventReply | undefined> {
    const key = ACTION_KEY.exec(click.event_key);
    if (key === null) return undefined;
    const { requests, config } = this.deps;
    const request =
      (await requests.byCardTaskId(bot.key, click.task_id)) ?? (await requests.byShortId(key[1] as string));
    const actions = request === undefined ? undefined : actionsOf(request);
    const action = actions?.[Number(key[2])];
    if (request === undefined || action === undefined) return unknownCard(config.texts, click.task_id);
    const gate = clickGate(bot, event, request, config.texts);
    if (gate.kind === 'refused') return gate.reply;
    const { party } = gate;
    // Reserved before the answer: the answer's change signal starts the follow-up, which looks for it.
    const late = source.reserveLate();
    if (late !== undefined) this.deps.followUp.expectLate(request.id, late);
    const outcome = await this.deps.answers.choose(
      request,
      { action, text: '' },
      { userid: party.userid, msgid: event.msgid },
    );
    if (outcome.kind !== 'applied') this.deps.followUp.dropLate(request.id);
    return updateCard(closedCard(outcome.request, config.texts));
  }
}
