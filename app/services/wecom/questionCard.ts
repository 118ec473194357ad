import { type CardButton, type TemplateCard, buttonCard, newTaskId } from './templateCards';

/** Buttons whose key starts with this ask the rest of the key as the user's next question. */
export const ASK_PREFIX = 'ask:';
const MAX_KEY_BYTES = 1024;

/** A card of questions (Dify's suggestions, or its suggested first questions) the user can click (§7). */
export function questionCard(
  title: string,
  questions: readonly string[],
  taskPrefix: string,
): TemplateCard | undefined {
  const buttons: CardButton[] = questions
    .filter((q) => Buffer.byteLength(ASK_PREFIX + q) <= MAX_KEY_BYTES)
    .slice(0, 6)
    .map((q) => ({ text: q, key: ASK_PREFIX + q, style: 1 }));
  if (buttons.length === 0) return undefined;
  return buttonCard({ title, buttons, taskId: newTaskId(taskPrefix) });
}
