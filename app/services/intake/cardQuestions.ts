import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { BotProfile, Config } from '../../config';
import { errorFields } from '../../logger';
import type { MessageLog } from '../../store/messageLog';
import type { Admission } from './admission';
import { routeToAgent } from './agentRouting';
import { partyOf } from '../turn/conversationScope';
import type { TurnRunner } from '../turn/turnRunner';
import type { TemplateCardEvent, WecomEvent } from '../wecom/inbound';
import type { ResponseUrlClient } from '../wecom/responseUrlClient';
import { ASK_PREFIX } from '../wecom/questionCard';
import { buttonCard, updateCardReplyBody } from '../wecom/templateCards';

export type CardReply = { readonly kind: 'empty' } | { readonly kind: 'reply'; readonly purpose: 'update_card'; readonly body: Record<string, unknown> };
/** Sends a finished answer as one markdown message; false when it could not be delivered. */
export type LateDelivery = (markdown: string, ids: { stream: string; msgid: string }) => Promise<boolean>;

/**
 * A click on a question button (template_card_event, §5.10): answered within 5 s with the card
 * updated to say the question is being answered (§6.5), and the question run as a turn whose answer
 * goes to the event's response_url (§9) — an event cannot carry a stream.
 */
export class CardQuestions {
  constructor(
    private readonly deps: { config: Config; admission: Admission; turns: TurnRunner; messages: MessageLog; responseUrl: ResponseUrlClient; logger: Logger; now: () => number },
  ) {}

  /** `late` defaults to the event's response_url (callback mode); the long connection sends a message instead. */
  handle(bot: BotProfile, event: WecomEvent, click: TemplateCardEvent['template_card_event'], late?: LateDelivery): CardReply {
    const question = click.event_key.startsWith(ASK_PREFIX) ? click.event_key.slice(ASK_PREFIX.length).trim() : '';
    const route = routeToAgent(this.deps.config.agents, event.aibotid);
    const deliver = late ?? this.responseUrlDelivery(event);
    if (question === '' || route.agent === undefined || deliver === undefined) return { kind: 'empty' };
    const party = partyOf(event);
    const verdict = this.deps.admission.check(route.agent, party);
    if (verdict.kind === 'refuse') return this.update(click.task_id, verdict.text);
    const streamId = `c_${randomBytes(12).toString('base64url')}`;
    const receivedAt = this.deps.now();
    const channel = {
      publish: () => Promise.resolve(),
      deliverLate: (markdown: string) => deliver(markdown, { stream: streamId, msgid: event.msgid }),
    };
    const entry = { streamId, msgid: event.msgid, botKey: bot.key, aibotid: event.aibotid, userid: party.userid, chatid: party.chatid, chattype: party.chattype, msgtype: 'template_card_event', agentId: route.agentId, receivedAt, status: 'running' as const, cause: undefined };
    this.deps.messages.received(entry).catch((err: unknown) => this.deps.logger.error({ err: errorFields(err) }, 'message log write failed'));
    const leave = this.deps.admission.enter(party);
    const query = { kind: 'ask' as const, pieces: [{ text: question }], quote: undefined, attachments: [] };
    const task = { streamId, msgid: event.msgid, party, query, mediaKey: undefined, agentId: route.agentId, agent: route.agent, receivedAt, channel, streamless: true };
    setImmediate(() => this.deps.turns.start(task, leave));
    return this.update(click.task_id, `${this.deps.config.texts.CARD_QUESTION_ASKED}${question}`);
  }

  private update(taskId: string, title: string): CardReply {
    const card = buttonCard({ title, buttons: [{ text: this.deps.config.texts.CARD_QUESTION_BUTTON_DONE, key: 'asked', style: 2 }], taskId });
    return { kind: 'reply', purpose: 'update_card', body: updateCardReplyBody(card) };
  }

  private responseUrlDelivery(event: WecomEvent): LateDelivery | undefined {
    const url = 'response_url' in event && typeof event.response_url === 'string' ? event.response_url : undefined;
    return url === undefined ? undefined : (markdown, ids) => this.deps.responseUrl.postMarkdown(url, markdown, ids);
  }
}
