import type { AgentConfig } from '../../config';
import type { ChatAddress } from '../channel';
import type { RunIds } from '../dify/answerBuilder';
import type { HumanInputForm } from '../dify/humanInputForm';

/**
 * A turn that stopped at a Dify Human Input node (docs/dify-human-input.md §2) with a form the Service API
 * can answer: what the people-in-the-loop wing needs to show it in the same chat and resume the run.
 */
export interface PausedForm {
  readonly agentId: string;
  readonly agent: AgentConfig;
  readonly form: HumanInputForm & { readonly formToken: string };
  /** The run's ids; `workflowRunId` is how the resumed run is followed (§5). */
  readonly ids: RunIds & { readonly workflowRunId: string };
  /** Dify's end user that started the run: the submit and the events must name the same one (§4). */
  readonly difyUser: string;
  /** The chat the question came from: the form goes there. */
  readonly chat: ChatAddress;
  /** Who asked (in a group, the member whose message paused the run). */
  readonly userid: string;
  readonly msgid: string;
}

/** Takes a paused form; must not block the turn (it is called after the answer so far went out). */
export type PausedFormHandler = (paused: PausedForm) => Promise<void>;

/**
 * The slot a turn hands a paused form to (ARCHITECTURE.md "Who imports whom": the turn knows nothing of
 * the wing). The gateway owns it; the wing registers its handler when it is composed, like a claimant.
 */
export class PausedForms {
  private handler: PausedFormHandler | undefined;

  register(handler: PausedFormHandler): void {
    this.handler = handler;
  }

  /** Whether a paused form of this agent would go to the chat. */
  takes(agent: AgentConfig): boolean {
    return this.handler !== undefined && agent.formsInChat;
  }

  /** Hands the form over; a failure is the handler's to report, never the turn's. */
  hand(paused: PausedForm, onError: (err: unknown) => void): void {
    const handler = this.handler;
    if (handler === undefined) return;
    handler(paused).catch(onError);
  }

  /** The form of a run that paused, when it can be answered through the Service API. */
  static answerable(
    form: HumanInputForm | undefined,
    ids: RunIds,
  ): { form: PausedForm['form']; workflowRunId: string } | undefined {
    // A submit names one of the form's actions (docs/dify-human-input.md §4): a form with none cannot be answered.
    if (form === undefined || form.formToken === null || form.actions.length === 0) return undefined;
    if (ids.workflowRunId === undefined) return undefined;
    return { form: { ...form, formToken: form.formToken }, workflowRunId: ids.workflowRunId };
  }
}
