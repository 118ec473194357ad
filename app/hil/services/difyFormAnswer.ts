import { z } from 'zod';
import type { FormAnswer } from '../../services/dify/difyHumanInput';
import type { HilRequest } from '../store/hilRequests';
import { matchAction } from './hilActions';

/** What a request made from a Dify form keeps in its metadata (DifyFormAsk). */
const formMetaSchema = z.object({
  source: z.literal('dify_form'),
  agent_id: z.string(),
  form_token: z.string().min(1),
  workflow_run_id: z.string().min(1),
  dify_user: z.string().min(1),
  actions: z.array(z.object({ id: z.string(), title: z.string() })).min(1),
  inputs: z.array(z.object({ name: z.string(), type: z.string(), options: z.array(z.string()).catch([]) })).catch([]),
  defaults: z.record(z.string(), z.string()).catch({}),
  asked_by: z.string().catch(''),
  msgid: z.string().catch(''),
});
export type DifyFormMeta = z.output<typeof formMetaSchema>;

export function formMetaOf(request: HilRequest): DifyFormMeta | undefined {
  const parsed = formMetaSchema.safeParse(request.metadata);
  return parsed.success ? parsed.data : undefined;
}

const TEXT_TYPES: ReadonlySet<string> = new Set(['paragraph', 'text_input', 'text-input']);

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * The submit for a person's answer (docs/dify-human-input.md §4): the action clicked or named at the start
 * of the reply (else the first), the rest of the reply as the first text input, every other input its
 * default; a select takes the option the text names, else its default or first option. File inputs are
 * left out: a chat cannot send them (Dify rejects the submit when one is required).
 */
export function formAnswerOf(request: HilRequest, meta: DifyFormMeta): FormAnswer {
  const response = request.response ?? {};
  const clicked = meta.actions.find((a) => a.id === str(response['action']));
  const said = str(response['information']) || str(response['text']);
  const named = clicked === undefined ? matchAction(meta.actions, said) : undefined;
  const action = clicked ?? named?.action ?? (meta.actions[0] as { id: string });
  const text = clicked !== undefined ? str(response['text']) : (named?.text ?? said);
  const inputs: Record<string, string> = {};
  let textGiven = false;
  for (const input of meta.inputs) {
    const fallback = meta.defaults[input.name] ?? '';
    if (TEXT_TYPES.has(input.type)) {
      inputs[input.name] = !textGiven && text !== '' ? text : fallback;
      textGiven ||= text !== '';
    } else if (input.type === 'select') {
      const chosen = input.options.find((o) => o !== '' && text.includes(o));
      inputs[input.name] = chosen ?? (fallback !== '' ? fallback : (input.options[0] ?? ''));
    }
  }
  return { action: action.id, inputs, user: meta.dify_user };
}
