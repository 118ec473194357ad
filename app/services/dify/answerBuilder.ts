import type { DifyAppMode } from '../../config';
import type { DifyEnvelope, DifyEvent, DifyEventOf } from './events';
import type { HumanInputForm } from './humanInputForm';
import { ThinkFilter } from './thinkFilter';

/** How a run ended, as far as the stream said (dify-api.md §4.4, §5.3). EOF without one = truncated. */
export type RunTerminal =
  | { kind: 'completed' } // message_end, or workflow_finished succeeded
  | { kind: 'failed'; code: string; status?: number; message: string } // error event, workflow_finished failed
  | { kind: 'stopped' } // workflow_finished stopped
  | { kind: 'paused' }; // waits at a Human Input node: the stream ends (docs/dify-human-input.md §2)

/** A tool-made file (dify-api.md §4.7); `url` may be relative (`/files/tools/…`), resolved elsewhere. */
export interface DifyFileRef {
  url: string;
  fileType: string;
  id?: string;
}

/** The run's ids (dify-api.md §4.2): conversation to continue, message for feedback, task to stop. */
export type RunIds = DifyEnvelope;

export interface AnswerBuilderOptions {
  mode: DifyAppMode;
  /** Workflow apps: which `outputs` key holds the answer (dify-api.md §4.5 pickOutput). */
  workflowOutputKey?: string;
}

const ID_KEYS = ['conversationId', 'messageId', 'taskId', 'workflowRunId'] as const;

/** Conventional output names, in order of preference, when no key is configured (§4.5). */
const OUTPUT_KEYS = ['answer', 'text', 'result', 'output'] as const;

/**
 * Owns the answer of one Dify run: feeds text through the think filter, collects files, ids
 * and the terminal signal (dify-api.md §4.5). Pure: fed DifyEvents, no I/O.
 */
export class AnswerBuilder {
  private readonly filter = new ThinkFilter();
  private reasoning = '';
  private readonly fileRefs: DifyFileRef[] = [];
  private readonly runIds: RunIds = {};
  private terminalSignal: RunTerminal | undefined;
  private sawAgentMessage = false;
  private seen = false;
  private pausedAt: HumanInputForm | undefined;
  private formTimedOut = false;

  constructor(private readonly opts: AnswerBuilderOptions) {}

  get answer(): string {
    return this.filter.answer;
  }

  /** Inline thinking (tags) and separated `reasoning_chunk` thinking (§4.6 item 4). */
  get thinking(): string {
    const inline = this.filter.thinking;
    const separated = this.reasoning.trimEnd();
    if (separated === '') return inline;
    return inline === '' ? separated : `${separated}\n\n${inline}`;
  }

  get files(): readonly DifyFileRef[] {
    return this.fileRefs;
  }

  get ids(): RunIds {
    return { ...this.runIds };
  }

  get terminal(): RunTerminal | undefined {
    return this.terminalSignal;
  }

  get sawEvents(): boolean {
    return this.seen;
  }

  /** The Human Input form the run paused at (the first one, when parallel branches pause at several). */
  get form(): HumanInputForm | undefined {
    return this.pausedAt;
  }

  /** A resumed stream said the form had expired (`human_input_form_timeout`). */
  get timedOut(): boolean {
    return this.formTimedOut;
  }

  /** Returns true when the answer or the thinking visibly changed. */
  apply(event: DifyEvent): boolean {
    this.seen = true;
    this.takeIds(event);
    const answer = this.filter.answer;
    const thinking = this.filter.thinking;
    const reasoning = this.reasoning;
    this.dispatch(event);
    return this.filter.answer !== answer || this.filter.thinking !== thinking || this.reasoning !== reasoning;
  }

  /** EOF: releases text the think filter was holding back. */
  end(): void {
    this.filter.end();
  }

  private dispatch(event: DifyEvent): void {
    switch (event.event) {
      case 'message':
        return this.onMessage(event.answer);
      case 'agent_message':
        this.sawAgentMessage = true;
        return this.filter.push(event.answer);
      case 'text_chunk':
        return this.filter.push(event.text);
      case 'message_replace': // output moderation fired (§4.3)
        return this.replaceText(event.answer);
      case 'text_replace':
        return this.replaceText(event.text);
      case 'message_file':
        return this.onMessageFile(event);
      case 'reasoning_chunk':
        this.reasoning += this.reasoning === '' ? event.reasoning.trimStart() : event.reasoning;
        return;
      case 'workflow_finished':
        return this.onWorkflowFinished(event);
      case 'error':
        return this.setTerminal({ kind: 'failed', code: event.code, message: event.message, ...statusOf(event) });
      case 'message_end':
        return this.setTerminal({ kind: 'completed' });
      case 'paused':
        return this.setTerminal({ kind: 'paused' });
      case 'human_input_required':
        this.pausedAt ??= event.form;
        return this.setTerminal({ kind: 'paused' });
      case 'form_timeout':
        this.formTimedOut = true;
        return;
      // `agent_thought.thought` repeats the answer (§4.3): progress only, never text.
      case 'agent_thought':
      case 'workflow_started':
      case 'progress':
      case 'ping':
      case 'unknown':
        return;
      default: {
        const _exhaustive: never = event;
        return _exhaustive;
      }
    }
  }

  private takeIds(event: DifyEvent): void {
    // The first event already carries the ids (§4.2); later ones must not overwrite them.
    for (const key of ID_KEYS) {
      const value = event[key];
      if (this.runIds[key] === undefined && value !== undefined) this.runIds[key] = value;
    }
  }

  private onMessage(answer: string): void {
    // New Agent (`agent`): a `message` after `agent_message` deltas is the whole answer (§4.3).
    if (this.opts.mode === 'agent' && this.sawAgentMessage) this.replaceText(answer);
    else this.filter.push(answer);
  }

  private replaceText(text: string): void {
    this.filter.reset();
    this.filter.push(text);
  }

  /** §4.3 pitfall P10: some builds label text chunks `message_file` (answer, no url). */
  private onMessageFile(event: DifyEventOf<'message_file'>): void {
    if (event.url === undefined) {
      if (event.answer !== undefined) this.filter.push(event.answer);
      return;
    }
    // Only assistant files are ours to send back; user uploads may echo here (§4.7).
    if (event.belongsTo !== undefined && event.belongsTo !== 'assistant') return;
    const url = event.url;
    if (this.fileRefs.some((f) => f.url === url || (event.id !== undefined && f.id === event.id))) return;
    this.fileRefs.push({ url, fileType: event.fileType ?? 'custom', ...(event.id ? { id: event.id } : {}) });
  }

  private onWorkflowFinished(event: DifyEventOf<'workflow_finished'>): void {
    switch (event.status) {
      case 'failed':
        return this.setTerminal({ kind: 'failed', code: 'workflow_failed', message: event.error ?? 'Workflow failed' });
      case 'stopped':
        return this.setTerminal({ kind: 'stopped' });
      default:
        // `succeeded`, `partial-succeeded` (failures handled inside the graph), and any future
        // non-failure status: the run delivered what it had (§4.3).
        this.setTerminal({ kind: 'completed' });
        this.takeWorkflowOutput(event.outputs);
    }
  }

  /** Workflow apps that stream no text_chunk deliver the result only in `outputs` (§4.5). */
  private takeWorkflowOutput(outputs: Record<string, unknown> | null): void {
    if (this.opts.mode !== 'workflow' || this.filter.answer.trim() !== '') return;
    const text = pickOutput(outputs, this.opts.workflowOutputKey);
    if (text !== '') this.replaceText(text);
  }

  /** First signal wins, but `failed` beats `completed`: chatflow may report both (§4.4). */
  private setTerminal(next: RunTerminal): void {
    const current = this.terminalSignal;
    if (current === undefined || (current.kind === 'completed' && next.kind === 'failed')) {
      this.terminalSignal = next;
    }
  }
}

function statusOf(event: DifyEventOf<'error'>): { status?: number } {
  return event.status === undefined ? {} : { status: event.status };
}

/** Picks the answer out of `workflow_finished.outputs` (dify-api.md §4.5). */
export function pickOutput(outputs: Record<string, unknown> | null, key?: string): string {
  if (outputs === null) return '';
  if (key !== undefined && outputs[key] !== undefined && outputs[key] !== null) {
    const value = outputs[key];
    return typeof value === 'string' ? value : jsonBlock(value);
  }
  for (const name of OUTPUT_KEYS) {
    const value = outputs[name];
    if (typeof value === 'string') return value;
  }
  const firstString = Object.values(outputs).find((v): v is string => typeof v === 'string');
  if (firstString !== undefined) return firstString;
  return Object.keys(outputs).length === 0 ? '' : jsonBlock(outputs);
}

function jsonBlock(value: unknown): string {
  return `\`\`\`json\n${JSON.stringify(value, null, 2)}\n\`\`\``;
}
