import type { Config } from '../../config';
import type { FormInput, HumanInputForm } from '../../services/dify/humanInputForm';
import type { PausedForm } from '../../services/turn/pausedForms';
import type { DifyForms } from '../store/difyForms';
import type { LoopType, NewHilRequest } from '../store/hilRequests';
import type { HilAsk } from './hilAsk';
import { MAX_ACTION_BUTTONS } from './hilActions';

/** The owner and platform of every request made from a Dify form. */
export const DIFY_OWNER = 'dify';

/** Inputs a person can fill in from a chat: text and a choice; files cannot be sent this way. */
const TEXT_INPUTS: ReadonlySet<string> = new Set(['paragraph', 'text_input', 'text-input', 'select']);

/**
 * A card with a button per action when the form asks only for a choice (no inputs, at most six actions);
 * a message to quote-reply otherwise (docs/dify-human-input.md §6).
 */
export function loopTypeOf(form: HumanInputForm): LoopType {
  return form.inputs.length === 0 && form.actions.length <= MAX_ACTION_BUTTONS ? 'approval' : 'information';
}

function fieldsLine(inputs: readonly FormInput[]): string {
  const names = inputs.filter((i) => TEXT_INPUTS.has(i.type)).map((i) => i.name);
  return names.length === 0 ? '' : `需填写：${names.join('、')}`;
}

/**
 * Turns a paused run's form into a request in the same chat (issue #15 scope 4): owner and platform
 * `dify`, the run as the conversation, the form token as the client's request id (a repeated hand-over
 * makes nothing twice), the node's title as the task; the metadata keeps what the submit needs.
 */
export class DifyFormAsk {
  constructor(
    private readonly deps: {
      readonly config: Config;
      readonly ask: HilAsk;
      readonly forms: DifyForms;
      readonly now: () => number;
    },
  ) {}

  readonly handle = async (paused: PausedForm): Promise<void> => {
    // The form's row before the card goes out: an answer must always find its form waiting.
    await this.deps.ask.ask(this.requestOf(paused), (request) => this.deps.forms.add(request.id, this.deps.now()));
  };

  private requestOf(paused: PausedForm): NewHilRequest {
    const { form, ids, chat } = paused;
    const loopType = loopTypeOf(form);
    const now = this.deps.now();
    const expiresAt = form.expiresAt ?? now + this.deps.config.hil.requestTtlMs;
    return {
      owner: DIFY_OWNER,
      platform: DIFY_OWNER,
      conversationId: ids.conversationId ?? ids.workflowRunId,
      requestId: form.formToken,
      taskId: form.nodeTitle !== '' ? form.nodeTitle : (form.nodeId ?? 'Human Input'),
      loopType,
      context: { question: form.content, additional: fieldsLine(form.inputs) },
      metadata: {
        source: 'dify_form',
        // Answered in the chat the run paused in, whatever HIL_APPROVAL_BACKEND says (issue #16).
        backend: 'chat',
        agent_id: paused.agentId,
        form_token: form.formToken,
        workflow_run_id: ids.workflowRunId,
        ...(ids.messageId !== undefined ? { message_id: ids.messageId } : {}),
        dify_user: paused.difyUser,
        node_id: form.nodeId ?? null,
        actions: form.actions.map((a) => ({ id: a.id, title: a.title })),
        inputs: form.inputs.map((i) => ({ name: i.name, type: i.type, options: [...i.options] })),
        defaults: { ...form.defaults },
        asked_by: paused.userid,
        msgid: paused.msgid,
        ...(loopType === 'information' ? { capture: 'next_message' } : {}),
      },
      target: chat,
      approvers: [],
      delivery: 'queued',
      cardTaskId: null,
      expiresAt: Math.max(expiresAt, now + 1000),
    };
  }
}
