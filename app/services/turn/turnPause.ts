import type { Texts } from '../../config/texts';
import { chatAddressOf } from './conversationScope';
import { type PausedForm, PausedForms } from './pausedForms';
import type { TurnOutcome } from './turnOutcome';
import type { TurnTask, TurnWork } from './turnWork';

/**
 * A turn that paused at a Human Input form the wing will show in the chat (issue #15 scope 4): the form
 * to hand over, and how the answer so far ends — with a pointer to the form instead of "not supported".
 */
export function pausedFormOf(
  task: TurnTask,
  work: TurnWork | undefined,
  forms: PausedForms | undefined,
  texts: Texts,
): { readonly paused: PausedForm; readonly outcome: TurnOutcome } | undefined {
  if (work === undefined || forms === undefined || work.result.failure !== undefined) return undefined;
  const { builder } = work.result;
  if (builder.terminal?.kind !== 'paused' || !forms.takes(task.agent)) return undefined;
  const answerable = PausedForms.answerable(builder.form, builder.ids);
  if (answerable === undefined) return undefined;
  const paused: PausedForm = {
    agentId: task.agentId,
    agent: task.agent,
    form: answerable.form,
    ids: { ...builder.ids, workflowRunId: answerable.workflowRunId },
    difyUser: work.difyUser,
    chat: chatAddressOf(task.botKey, task.party),
    userid: task.party.userid,
    msgid: task.msgid,
  };
  return { paused, outcome: { outcome: 'partial', notice: texts.HIL_FORM_WAITING, cause: 'paused_for_form' } };
}
