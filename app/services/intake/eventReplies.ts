import type { AxiosInstance } from 'axios';
import type { Logger } from 'pino';
import type { AgentConfig, BotProfile, Config } from '../../config';
import { routeToAgent } from './agentRouting';
import type { EventReply, EventSource } from '../channel';
import type { Claimants } from './claimants';
import type { AppParameters } from '../dify/appParameters';
import { type Opening, openingFrom } from '../dify/difyFollowUps';
import { questionCard } from '../wecom/questionCard';
import { textReplyBody } from '../wecom/reply';
import { templateCardReplyBody } from '../wecom/templateCards';
import { errorFields } from '../../logger';
import type { MessageLog, RatedAnswer } from '../../store/messageLog';
import { type DifyRating, postFeedback } from '../dify/difyFeedback';
import { DifyError, describeFailure } from '../dify/difyErrors';
import type { FeedbackEvent, WecomEvent } from '../wecom/inbound';

const EMPTY: EventReply = { kind: 'empty' };

/** WeCom's inaccurate-answer reasons (§5.10), as the rater would read them. */
const REASONS: Record<number, string> = { 1: '答非所问', 2: '回答不完整', 3: '内容有误', 4: '数据分析有误' };

function ratingOf(type: 1 | 2 | 3): DifyRating {
  return type === 1 ? 'like' : type === 2 ? 'dislike' : null;
}

function contentOf(feedback: FeedbackEvent['feedback_event']): string | undefined {
  if (feedback.type !== 2) return undefined;
  const reasons = (feedback.inaccurate_reason_list ?? []).map((r) => REASONS[r] ?? `原因${r}`);
  const parts = [reasons.join('、'), feedback.content?.trim() ?? ''].filter((p) => p !== '');
  return parts.length === 0 ? undefined : parts.join('：');
}

/**
 * Events: enter_chat gets the bot's welcome within WeCom's limit (or an empty reply); feedback_event
 * gets the empty reply it must get (§15.17) and is forwarded to Dify in the background; a
 * template_card_event goes to the claimants in order (the question buttons' CardQuestions among
 * them); a click nobody claims and other events get an empty reply.
 */
export class EventReplies {
  constructor(
    private readonly deps: {
      config: Config;
      messages: MessageLog;
      http: AxiosInstance;
      parameters: AppParameters;
      claimants: Claimants;
      logger: Logger;
    },
  ) {}

  /** `source`: what the channel the event came in on offers, e.g. how a card question's answer reaches the chat. */
  async handle(bot: BotProfile, event: WecomEvent, source: EventSource): Promise<EventReply> {
    const body = event.event;
    switch (body.eventtype) {
      case 'enter_chat':
        return (await this.deps.claimants.enterChat(bot, event)) ?? this.welcome(bot, event.aibotid);
      case 'feedback_event':
        void this.forward(body.feedback_event);
        return EMPTY;
      case 'template_card_event':
        return (await this.deps.claimants.cardClick(bot, event, body.template_card_event, source)) ?? EMPTY;
      case 'disconnected_event':
      case 'unknown':
        return EMPTY;
      default: {
        const exhaustive: never = body;
        return exhaustive;
      }
    }
  }

  /**
   * enter_chat (§6.1, answered within WeCom's limit): the bot's welcome text, or — when configured — a
   * card from the Dify app's opening statement whose buttons ask its suggested questions.
   */
  private async welcome(bot: BotProfile, aibotid: string): Promise<EventReply> {
    const text: EventReply =
      bot.welcome === undefined ? EMPTY : { kind: 'reply', purpose: 'welcome', body: textReplyBody(bot.welcome) };
    const agent = bot.welcomeCard ? routeToAgent(this.deps.config.agents, aibotid).agent : undefined;
    if (agent === undefined) return text;
    const opening = await this.openingOf(agent);
    const title =
      opening?.statement !== undefined && opening.statement !== ''
        ? opening.statement
        : this.deps.config.texts.WELCOME_CARD_TITLE;
    try {
      const card = questionCard(title, opening?.questions ?? [], 'welcome');
      return card === undefined ? text : { kind: 'reply', purpose: 'welcome', body: templateCardReplyBody(card) };
    } catch {
      return text;
    }
  }

  /** Within 3 s, so that the welcome still makes WeCom's 5 s (§6.1); cached by AppParameters. */
  private async openingOf(agent: AgentConfig): Promise<Opening | undefined> {
    const read = await this.deps.parameters.read(agent, 3000);
    return read === undefined ? undefined : openingFrom(read.data);
  }

  /**
   * The message log is written in batches, so a rating that comes right after the answer finished may
   * arrive before its row: look again a few times before calling the id unknown.
   */
  private async findAnswer(streamId: string): Promise<RatedAnswer | undefined> {
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const answer = await this.deps.messages.ratedAnswer(streamId);
      if (answer !== undefined) return answer;
      await new Promise((resolve) => setTimeout(resolve, 250 * (attempt + 1)));
    }
    return undefined;
  }

  /** Our feedback id is the stream id of the answer (set on its first reply, §6.2). */
  private async forward(feedback: FeedbackEvent['feedback_event']): Promise<void> {
    const { config, http, logger } = this.deps;
    try {
      const answer = await this.findAnswer(feedback.id);
      const agent = answer === undefined ? undefined : config.agents.byId.get(answer.agentId);
      if (answer === undefined || agent === undefined) {
        logger.warn({ feedback: feedback.id, type: feedback.type }, 'feedback for an unknown answer dropped');
        return;
      }
      const content = contentOf(feedback);
      await postFeedback(http, agent, answer.difyMessageId, {
        rating: ratingOf(feedback.type),
        user: answer.difyUser,
        ...(content !== undefined ? { content } : {}),
      });
      logger.info({ feedback: feedback.id, type: feedback.type, agent: agent.id }, 'feedback forwarded to Dify');
    } catch (err) {
      const cause = err instanceof DifyError ? describeFailure(err.failure) : errorFields(err).message;
      logger.warn({ feedback: feedback.id, cause }, 'feedback could not be forwarded');
    }
  }
}
