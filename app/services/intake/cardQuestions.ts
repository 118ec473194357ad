import type { BotProfile, Config } from '../../config';
import type { EventReply, EventSource, IntakeSource } from '../channel';
import { partyOf } from '../turn/conversationScope';
import type { WecomEvent } from '../wecom/inbound';
import { ASK_PREFIX } from '../wecom/questionCard';
import { buttonCard, updateCardReplyBody } from '../wecom/templateCards';
import type { Admission } from './admission';
import { routeToAgent } from './agentRouting';
import type { CardClick, InboundClaimant } from './claimants';
import type { MessageIntake } from './messageIntake';

const EMPTY: EventReply = { kind: 'empty' };

/**
 * A click on a question button (template_card_event, §5.10): answered within 5 s with the card
 * updated to say the question is being answered (§6.5), and the question run as a turn whose answer
 * goes to the event's late delivery (callback: its response_url, §9; long connection: a pushed
 * message) — an event cannot carry a stream. A claimant of card clicks: it takes the question
 * buttons (key `ask:…`) and passes every other click.
 */
export class CardQuestions implements InboundClaimant {
  readonly name = 'card-questions';

  constructor(private readonly deps: { config: Config; admission: Admission; intake: MessageIntake }) {}

  claimCardClick(
    bot: BotProfile,
    event: WecomEvent,
    click: CardClick,
    source: EventSource,
  ): Promise<EventReply | undefined> {
    return click.event_key.startsWith(ASK_PREFIX) ? this.ask(bot, event, click, source) : Promise.resolve(undefined);
  }

  private async ask(bot: BotProfile, event: WecomEvent, click: CardClick, source: EventSource): Promise<EventReply> {
    const question = click.event_key.slice(ASK_PREFIX.length).trim();
    const route = routeToAgent(this.deps.config.agents, event.aibotid);
    if (question === '' || route.agent === undefined) return EMPTY;
    const deliver = source.reserveLate();
    if (deliver === undefined) return EMPTY;
    const party = partyOf(event);
    const { intake } = this.deps;
    const meta = intake.newMeta(bot, event.msgid, party, undefined);
    const verdict = await this.deps.admission.check(route.agent, party, meta.id);
    if (verdict.kind === 'refuse') return this.update(click.task_id, verdict.text);
    const turnSource: IntakeSource = {
      mediaKey: undefined,
      responseUrl: undefined,
      streamless: true,
      channel: () => ({
        publish: () => Promise.resolve(),
        deliverLate: (markdown) => deliver(markdown, { stream: meta.id, msgid: event.msgid }),
      }),
    };
    intake.logReceived(meta, {
      msgtype: 'template_card_event',
      agentId: route.agentId,
      status: 'running',
      cause: undefined,
    });
    const query = { kind: 'ask' as const, pieces: [{ text: question }], quote: undefined, attachments: [] };
    intake.startTurn(meta, query, { agentId: route.agentId, agent: route.agent }, turnSource);
    return this.update(click.task_id, `${this.deps.config.texts.CARD_QUESTION_ASKED}${question}`);
  }

  private update(taskId: string, title: string): EventReply {
    const card = buttonCard({
      title,
      buttons: [{ text: this.deps.config.texts.CARD_QUESTION_BUTTON_DONE, key: 'asked', style: 2 }],
      taskId,
    });
    return { kind: 'reply', purpose: 'update_card', body: updateCardReplyBody(card) };
  }
}
