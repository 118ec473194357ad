import { z } from 'zod';
import type { CardButton } from '../../services/wecom/templateCardTypes';
import type { HilRequest } from '../store/hilRequests';

/**
 * Requests whose answer is one of their own actions rather than 批准 / 拒绝 (a Dify Human Input form's
 * buttons, docs/dify-human-input.md §2): `metadata.actions`, a card button per action keyed
 * `hil:act:<short_id>:<n>`, and the text that names one.
 */
export interface RequestAction {
  readonly id: string;
  readonly title: string;
}

/** A button_interaction card takes at most 6 buttons (wecom-aibot-protocol.md §7). */
export const MAX_ACTION_BUTTONS = 6;

export const ACTION_KEY = /^hil:act:([0-9a-f]{8}):([0-9])$/;

const actionsSchema = z.array(z.object({ id: z.string().min(1), title: z.string() })).min(1);

/** The request's own actions, or undefined for an ordinary approval. */
export function actionsOf(request: HilRequest): readonly RequestAction[] | undefined {
  const parsed = actionsSchema.safeParse(request.metadata['actions']);
  return parsed.success ? parsed.data : undefined;
}

export function actionButtons(request: HilRequest, actions: readonly RequestAction[]): CardButton[] {
  return actions.slice(0, MAX_ACTION_BUTTONS).map((action, n) => ({
    text: action.title,
    style: n === 0 ? 1 : 2,
    key: `hil:act:${request.shortId}:${n}`,
  }));
}

/** The choice a person made, with what they wrote after the action's name. */
export interface ActionChoice {
  readonly action: RequestAction;
  readonly text: string;
}

const SEPARATOR = /^[\s，,。.！!：:、;；]+/;

/** `批准`, `批准 没问题`, `approve`, `1 …`: the action named at the start of the text, by title, id or number. */
export function matchAction(actions: readonly RequestAction[], text: string): ActionChoice | undefined {
  const trimmed = text.trim();
  const lower = trimmed.toLowerCase();
  const byName = [...actions]
    .flatMap((action) => [action.title, action.id].map((name) => ({ action, name: name.toLowerCase() })))
    .filter(({ name }) => name !== '' && lower.startsWith(name))
    .sort((a, b) => b.name.length - a.name.length)[0];
  const number = /^([1-9])(?=$|[\s，,。.！!：:、;；])/.exec(trimmed);
  const byNumber = number === null ? undefined : actions[Number(number[1]) - 1];
  const action = byName?.action ?? byNumber;
  if (action === undefined) return undefined;
  const length = byName !== undefined ? byName.name.length : (number?.[0].length ?? 0);
  return { action, text: trimmed.slice(length).replace(SEPARATOR, '').trim() };
}

const APPROVING = /approve|accept|confirm|yes|ok|agree|批准|同意|通过|确认|可以/i;
const REJECTING = /reject|deny|decline|refuse|cancel|no\b|拒绝|驳回|不同意|否|取消/i;

/**
 * What a text answer chooses: the action it names, else for 同意 / 拒绝 the action that reads like it
 * (or the first / the last of two), else nothing (the person is asked again).
 */
export function chooseAction(
  actions: readonly RequestAction[],
  answer:
    | { readonly kind: 'reply'; readonly text: string }
    | { readonly kind: 'decide'; readonly decision: 'approved' | 'rejected'; readonly reason: string },
): ActionChoice | undefined {
  if (answer.kind === 'reply') return matchAction(actions, answer.text);
  const named = matchAction(actions, answer.reason);
  if (named !== undefined) return named;
  const approving = answer.decision === 'approved';
  const fits = actions.find((a) => (approving ? APPROVING : REJECTING).test(`${a.id} ${a.title}`));
  const fallback = actions.length === 2 ? actions[approving ? 0 : 1] : undefined;
  const action = fits ?? fallback;
  return action === undefined ? undefined : { action, text: answer.reason };
}
