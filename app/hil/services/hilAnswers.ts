import type { Texts } from '../../config/texts';
import type { HilRequest, HilRequests, JsonObject } from '../store/hilRequests';
import { type ActionChoice, actionsOf, chooseAction } from './hilActions';

/** What a person said to a request, once read (replyParsing.ts): a decision, or text. */
export type PersonAnswer =
  | { readonly kind: 'decide'; readonly decision: 'approved' | 'rejected'; readonly reason: string }
  | { readonly kind: 'reply'; readonly text: string };

export interface Answerer {
  readonly userid: string;
  /** The WeCom msgid of the message or click: a retry of it applies nothing twice. */
  readonly msgid: string;
}

/**
 * What applying an answer came to: `applied` with the updated request, `unchanged` when it was no longer
 * open (a double click, a retry, another instance was first) with the request as it is, or
 * `needs_decision` for text given to an approval without 同意 / 拒绝.
 */
export type AnswerOutcome =
  | { readonly kind: 'applied'; readonly request: HilRequest }
  | { readonly kind: 'unchanged'; readonly request: HilRequest }
  | { readonly kind: 'needs_decision'; readonly request: HilRequest };

/**
 * A person's answer in WeCom becomes the request's status and `response` in the shapes GoHumanLoop's
 * adapters read (hil.md §2.4, §7.5): approval → approved/rejected with `decision`/`reason`, information →
 * completed with `information`, conversation → inprogress with `message`, or completed on 结束对话.
 * Every change is conditional on the request being open, so it is applied once.
 */
export class HilAnswers {
  constructor(
    private readonly requests: HilRequests,
    private readonly texts: Texts,
    private readonly now: () => number,
  ) {}

  async apply(request: HilRequest, answer: PersonAnswer, by: Answerer): Promise<AnswerOutcome> {
    switch (request.loopType) {
      case 'approval': {
        // A request with its own actions (a Dify form): the text names one of them.
        const actions = actionsOf(request);
        const choice = actions === undefined ? undefined : chooseAction(actions, answer);
        if (actions !== undefined)
          return choice === undefined ? { kind: 'needs_decision', request } : this.choose(request, choice, by);
        return answer.kind === 'decide'
          ? this.settle(request, answer.decision, decisionResponse(answer, by), by)
          : { kind: 'needs_decision', request };
      }
      case 'information': {
        const text = textOf(answer);
        await this.record(request, by, text);
        return this.settle(request, 'completed', { information: text, text, userid: by.userid }, by);
      }
      case 'conversation':
        return this.converse(request, textOf(answer), by);
      default: {
        const exhaustive: never = request.loopType;
        return exhaustive;
      }
    }
  }

  /** One of the request's own actions (a card button, or its name in a reply): completed with that action. */
  async choose(request: HilRequest, choice: ActionChoice, by: Answerer): Promise<AnswerOutcome> {
    if (choice.text !== '') await this.record(request, by, choice.text);
    const { id, title } = choice.action;
    const response = { action: id, action_title: title, text: choice.text, userid: by.userid, channel: 'wecom' };
    return this.settle(request, 'completed', response, by);
  }

  private async converse(request: HilRequest, text: string, by: Answerer): Promise<AnswerOutcome> {
    const fresh = await this.record(request, by, text);
    if (!fresh) return { kind: 'unchanged', request: (await this.requests.byId(request.id)) ?? request };
    const ended = text === this.texts.HIL_END_CONVERSATION;
    const response = { message: text, text, userid: by.userid, ...(ended ? { ended: true } : {}) };
    return this.settle(request, ended ? 'completed' : 'inprogress', response, by);
  }

  /** Every reply is kept (a conversation has several); false when this msgid was recorded before. */
  private record(request: HilRequest, by: Answerer, text: string): Promise<boolean> {
    return this.requests.addReply({ requestId: request.id, msgid: by.msgid, userid: by.userid, text, at: this.now() });
  }

  private async settle(
    request: HilRequest,
    status: 'approved' | 'rejected' | 'completed' | 'inprogress',
    response: JsonObject,
    by: Answerer,
  ): Promise<AnswerOutcome> {
    const updated = await this.requests.answer(request.id, {
      status,
      response,
      respondedBy: by.userid,
      respondedAt: this.now(),
    });
    if (updated !== undefined) return { kind: 'applied', request: updated };
    return { kind: 'unchanged', request: (await this.requests.byId(request.id)) ?? request };
  }
}

function textOf(answer: PersonAnswer): string {
  if (answer.kind === 'reply') return answer.text;
  return answer.reason === '' ? answer.decision : answer.reason;
}

function decisionResponse(answer: Extract<PersonAnswer, { kind: 'decide' }>, by: Answerer): JsonObject {
  return { decision: answer.decision, reason: answer.reason, text: answer.reason, userid: by.userid, channel: 'wecom' };
}
