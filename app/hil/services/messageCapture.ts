import type { Config } from '../../config';
import type { BotProfile } from '../../config';
import type { MessageClaim } from '../../services/intake/claimants';
import { chatAddressOf, partyOf } from '../../services/turn/conversationScope';
import type { UserMessage } from '../../services/wecom/inbound';
import { type HilRequest, type HilRequests, OPEN_STATUSES } from '../store/hilRequests';
import { chatIdOf } from './hilChats';
import { type AnswerOutcome, type Answerer, type HilAnswers, type PersonAnswer } from './hilAnswers';
import { fill, listLine, stateLine } from './hilRendering';
import { mayAnswer } from './hilTargets';
import type { OpenGate } from './openGate';
import { readDecision, readReply } from './replyParsing';

const PASS: MessageClaim = { kind: 'pass' };

/** Where a message came from, for the lookups below. */
interface From extends Answerer {
  readonly botKey: string;
  readonly chat: ReturnType<typeof chatAddressOf>;
}

/**
 * Takes the messages that answer a request (hil.md §7.4) before they reach Dify: a quote of `[#id]`,
 * `#id text`, `/approve id`, `/reject id`, `/pending`, the comment after 填写意见, an approval word while
 * approvals wait in the chat, the next message for a request that asked for it
 * (`metadata.capture = "next_message"`), and `/chatid`. Two candidates and no id: the hil-mcp hint. Everything else passes.
 */
export class MessageCapture {
  constructor(
    private readonly deps: {
      readonly config: Config;
      readonly requests: HilRequests;
      readonly answers: HilAnswers;
      readonly gate: OpenGate;
      readonly now: () => number;
    },
  ) {}

  async claim(bot: BotProfile, message: UserMessage): Promise<MessageClaim> {
    const intent = readReply(message, bot.mentionNames);
    if (intent.kind === 'plain' && (intent.text === '' || !this.deps.gate.mayBeOpen())) return PASS;
    const party = partyOf(message);
    const from: From = {
      botKey: bot.key,
      chat: chatAddressOf(bot.key, party),
      userid: party.userid,
      msgid: message.msgid,
    };
    switch (intent.kind) {
      case 'command':
        return this.byShortId(intent.shortId, from, {
          kind: 'decide',
          decision: intent.decision,
          reason: intent.reason,
        });
      case 'addressed':
        return this.byShortId(intent.shortId, from, undefined, intent.text);
      case 'pending':
        return this.pending(from);
      case 'chatid':
        return this.chatId(from);
      case 'plain':
        return this.plain(intent.text, from);
      default: {
        const exhaustive: never = intent;
        return exhaustive;
      }
    }
  }

  private async byShortId(shortId: string, from: From, answer?: PersonAnswer, text = ''): Promise<MessageClaim> {
    const { texts } = this.deps.config;
    const request = await this.deps.requests.byShortId(shortId);
    if (request === undefined) return answered(fill(texts.HIL_UNKNOWN_ID, { id: shortId }), 'hil_unknown');
    if (!OPEN_STATUSES.includes(request.status))
      return answered(fill(texts.HIL_NOT_OPEN, { id: shortId, state: stateLine(request, texts) }), 'hil_closed');
    if (!mayAnswer(request, from.userid, sameChat(request, from)))
      return answered(fill(texts.HIL_NOT_YOURS, { id: shortId }), 'hil_not_yours');
    return this.apply(request, answer ?? this.answerOf(request, text), from);
  }

  /** Text addressed to a request by its id: any approval word decides (§7.4 item 2). */
  private answerOf(request: HilRequest, text: string): PersonAnswer {
    const decision = request.loopType === 'approval' ? readDecision(text, false) : undefined;
    return decision !== undefined ? { kind: 'decide', ...decision } : { kind: 'reply', text };
  }

  private async apply(request: HilRequest, answer: PersonAnswer, from: From): Promise<MessageClaim> {
    const outcome = await this.deps.answers.apply(request, answer, from);
    if (answer.kind === 'decide') await this.deps.requests.clearCommentWait(from.botKey, from.chat.chatid, from.userid);
    return answered(this.replyOf(outcome), 'hil_answer');
  }

  private replyOf(outcome: AnswerOutcome): string {
    const { texts } = this.deps.config;
    const { request } = outcome;
    const id = request.shortId;
    if (outcome.kind === 'needs_decision') return fill(texts.HIL_NEEDS_DECISION, { id });
    if (outcome.kind === 'unchanged' && !OPEN_STATUSES.includes(request.status))
      return fill(texts.HIL_NOT_OPEN, { id, state: stateLine(request, texts) });
    if (request.status === 'approved') return fill(texts.HIL_APPROVED, { id });
    if (request.status === 'rejected') return fill(texts.HIL_REJECTED, { id });
    if (request.loopType === 'conversation' && request.status === 'completed')
      return fill(texts.HIL_CONVERSATION_ENDED, { id });
    return fill(texts.HIL_ANSWER_RECORDED, { id });
  }

  /** `/pending` (待办): what waits for this person in this chat; the list counts as showing them. */
  private async pending(from: From): Promise<MessageClaim> {
    const { texts } = this.deps.config;
    // A single chat sees all it was sent; a group member only what they may answer.
    const mine = (await this.deps.requests.openInChat(from.chat)).filter(
      (r) => from.chat.chattype === 'single' || mayAnswer(r, from.userid, true),
    );
    if (mine.length === 0) return answered(texts.HIL_NOTHING_PENDING, 'hil_pending');
    const now = this.deps.now();
    for (const r of mine.filter((r) => r.delivery === 'queued'))
      await this.deps.requests.setDelivery(r.id, 'delivered', r.cardTaskId, now);
    return answered(fill(texts.HIL_PENDING_LIST, { list: mine.map(listLine).join('\n') }), 'hil_pending');
  }

  /** `/chatid`: this chat as hil-mcp's `--chat-id` takes it (hil.md §4.4's idle hint); no store work. */
  private chatId(from: From): MessageClaim {
    const chatId = chatIdOf(this.deps.config, from.chat);
    return answered(fill(this.deps.config.texts.HIL_CHAT_ID, { chat_id: chatId }), 'hil_chatid');
  }

  /** Text that names no request: a comment awaited, an approval word, or a request that takes the next message. */
  private async plain(text: string, from: From): Promise<MessageClaim> {
    const { requests, now } = this.deps;
    const wait = await requests.commentWait(from.botKey, from.chat.chatid, from.userid, now());
    const open = await requests.openInChat(from.chat);
    const waited = wait === undefined ? undefined : open.find((r) => r.id === wait.requestId);
    if (waited !== undefined) return this.comment(waited, text, from, wait?.draft ?? null);
    const decision = readDecision(text, true);
    const mine = open.filter((r) => mayAnswer(r, from.userid, true));
    const candidates =
      decision !== undefined
        ? mine.filter((r) => r.loopType === 'approval')
        : mine.filter((r) => r.loopType !== 'approval' && takesNextMessage(r));
    if (candidates.length === 0) return PASS;
    if (candidates.length > 1) return this.hint(candidates);
    const only = candidates[0] as HilRequest;
    return this.apply(only, decision !== undefined ? { kind: 'decide', ...decision } : { kind: 'reply', text }, from);
  }

  /** After 填写意见: a decision with its reason, or a comment kept as the reason of the click that follows. */
  private async comment(request: HilRequest, text: string, from: From, draft: string | null): Promise<MessageClaim> {
    const decision = readDecision(text, false);
    if (decision !== undefined) {
      const reason = decision.reason === '' ? (draft ?? '') : decision.reason;
      return this.apply(request, { kind: 'decide', decision: decision.decision, reason }, from);
    }
    const wait = { requestId: request.id, botKey: from.botKey, chatid: from.chat.chatid, userid: from.userid };
    await this.deps.requests.setCommentWait({ ...wait, draft: text, until: this.deps.now() + COMMENT_WAIT_MS });
    return answered(this.deps.config.texts.HIL_COMMENT_SAVED, 'hil_comment');
  }

  private hint(candidates: readonly HilRequest[]): MessageClaim {
    const list = candidates.map(listLine).join('\n');
    return answered(fill(this.deps.config.texts.HIL_WHICH_ONE, { list }), 'hil_hint');
  }
}

/** How long after 填写意见 the person's next message is the comment (issue #13 scope 5). */
export const COMMENT_WAIT_MS = 10 * 60 * 1000;

/**
 * A request that takes the chat's next message, once shown: a queued one (a callback chat the bot could
 * not write to yet) must not take the very message that lets it go out (hil.md §7.2 path 3).
 */
function takesNextMessage(request: HilRequest): boolean {
  return request.metadata['capture'] === 'next_message' && request.delivery === 'delivered';
}

function answered(text: string, cause: string): MessageClaim {
  return { kind: 'answered', text, cause };
}

function sameChat(request: HilRequest, from: From): boolean {
  return request.target.botKey === from.botKey && request.target.chatid === from.chat.chatid;
}
