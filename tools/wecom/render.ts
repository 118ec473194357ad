/**
 * Output of the simulator: the answer growing in place on a TTY (only the final text otherwise),
 * the images of the final reply (§6.2 msg_item), the timings, and the passive replies to events:
 * template cards (§6.1, §6.3–§6.5, §7) with their task_id and every clickable key, for `click`.
 */
import { createHash } from 'node:crypto';
import type { ChatResult, StreamReply } from './chat';

export interface Out {
  write(text: string): void;
  isTTY: boolean;
  columns: number;
}

export function stdoutOut(): Out {
  return {
    write: (text) => process.stdout.write(text),
    isTTY: process.stdout.isTTY === true,
    columns: process.stdout.columns ?? 80,
  };
}

/** Rows the text takes on a terminal `columns` wide (approximate: wide CJK characters count 2). */
function rowsOf(text: string, columns: number): number {
  let rows = 0;
  for (const line of text.split('\n')) {
    let width = 0;
    for (const ch of line)
      width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch)
        ? 2
        : 1;
    rows += Math.max(1, Math.ceil(width / Math.max(1, columns)));
  }
  return rows;
}

/** Rewrites the current answer in place on a TTY; prints nothing until finish otherwise. */
export function liveAnswer(out: Out): { update(reply: StreamReply): void; done(final: StreamReply): void } {
  let shownRows = 0;
  let shown: string | undefined;
  const draw = (content: string): void => {
    if (content === shown) return;
    if (shownRows > 0) out.write(`\r${shownRows > 1 ? `\x1b[${shownRows - 1}A` : ''}\x1b[J`);
    out.write(content);
    shownRows = rowsOf(content, out.columns);
    shown = content;
  };
  return {
    update(reply) {
      if (out.isTTY) draw(reply.content);
    },
    done(final) {
      if (out.isTTY) draw(final.content);
      else out.write(final.content);
      out.write('\n');
    },
  };
}

function describeImage(item: unknown, index: number): string {
  const image = (item as { msgtype?: unknown; image?: { base64?: unknown; md5?: unknown } }) ?? {};
  if (image.msgtype !== 'image' || typeof image.image?.base64 !== 'string') {
    return `  #${index + 1}: not an image item: ${JSON.stringify(item).slice(0, 120)}`;
  }
  const bytes = Buffer.from(image.image.base64, 'base64');
  const md5 = createHash('md5').update(bytes).digest('hex');
  const declared = typeof image.image.md5 === 'string' ? image.image.md5.toLowerCase() : undefined;
  const check =
    declared === undefined
      ? 'md5 missing'
      : declared === md5
        ? 'md5 ok'
        : `md5 MISMATCH (declared ${declared}, actual ${md5})`;
  return `  #${index + 1}: ${bytes.length} bytes, ${check}`;
}

export function imageLines(final: StreamReply): string[] {
  if (final.msgItems.length === 0) return [];
  return [`images (${final.msgItems.length}):`, ...final.msgItems.map(describeImage)];
}

/** True when every msg_item is an image whose md5 matches. */
export function imagesOk(final: StreamReply): boolean {
  return imageLines(final).every(
    (line) => !line.includes('MISMATCH') && !line.includes('not an image') && !line.includes('md5 missing'),
  );
}

export function timingLines(result: ChatResult): string[] {
  return [
    `first reply: ${result.firstReplyMs} ms`,
    `first token: ${result.firstTokenMs !== undefined ? `${result.firstTokenMs} ms` : 'none (the answer came with the first reply or never changed)'}`,
    `finish: ${result.finishMs} ms (${result.polls} polls)`,
  ];
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const textOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** How to click one of a card's keys with `click`: the callback URL and the sender flags to repeat. */
export interface ClickHint {
  url: string;
  /** e.g. ['--user', 'zhangsan']; the clicker must be someone the card is for. */
  flags: string[];
}

/** Quotes a shell word only when it needs it, so the hint can be pasted as is. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `label "text": key` for each entry of a list of {text, key} (buttons, menu items). */
function keyed(label: string, list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list
    .filter(isObject)
    .map((item) => `  ${label} ${JSON.stringify(textOf(item['text']) ?? '')}: ${String(item['key'])}`);
}

/**
 * A template card (§7) as ops need it to click it: card_type, task_id, main_title (title + desc), the
 * sub title, then the buttons, the submit button and the top-right menu, each with the key that
 * template_card_event echoes back; then the `click` command line when a hint is given.
 */
export function cardLines(card: Json, hint?: ClickHint): string[] {
  const lines = [`  card_type: ${String(card['card_type'])}`];
  const taskId = textOf(card['task_id']);
  if (taskId !== undefined) lines.push(`  task_id: ${taskId}`);
  const main = isObject(card['main_title']) ? card['main_title'] : {};
  for (const field of ['title', 'desc'] as const) {
    const value = textOf(main[field]);
    if (value !== undefined) lines.push(`  ${field}: ${value}`);
  }
  const sub = textOf(card['sub_title_text']);
  if (sub !== undefined) lines.push(`  sub_title_text: ${sub}`);
  const keys = [
    ...keyed('button', card['button_list']),
    ...(isObject(card['submit_button']) ? keyed('submit', [card['submit_button']]) : []),
    ...(isObject(card['action_menu']) ? keyed('menu', card['action_menu']['action_list']) : []),
  ];
  lines.push(...keys);
  if (hint !== undefined && taskId !== undefined && keys.length > 0) {
    const type = textOf(card['card_type']);
    const flags = [
      ...hint.flags,
      ...(type !== undefined && type !== 'button_interaction' ? ['--card-type', type] : []),
    ];
    const words = ['npm', 'run', 'wecom', '--', 'click', hint.url, taskId].map(shellWord);
    lines.push(`  to click: ${[...words, '<key>', ...flags.map(shellWord)].join(' ')}`);
  }
  return lines;
}

/** The update_template_card answer to a click (§6.5): for whom, then the new card. */
export function updateCardLines(reply: Json, ms: number, hint?: ClickHint): string[] {
  const userids = reply['userids'];
  const whom = Array.isArray(userids) ? `for userids ${userids.map(String).join(', ')}` : 'for everyone';
  const card = isObject(reply['template_card']) ? reply['template_card'] : {};
  return [`reply (${ms} ms): update_template_card ${whom}`, ...cardLines(card, hint)];
}

/**
 * A passive reply to an event (§6.1, §6.3, §6.5): empty, a text welcome, a template card, an update of
 * the clicked card; anything else as its JSON.
 */
export function eventReplyLines(reply: Json | undefined, ms: number, hint?: ClickHint): string[] {
  if (reply === undefined) return [`empty reply (${ms} ms)`];
  if (reply['response_type'] === 'update_template_card') return updateCardLines(reply, ms, hint);
  if (reply['msgtype'] === 'template_card' && isObject(reply['template_card']))
    return [`reply (${ms} ms): template_card`, ...cardLines(reply['template_card'], hint)];
  if (reply['msgtype'] === 'text' && isObject(reply['text']) && typeof reply['text']['content'] === 'string')
    return [`reply (${ms} ms): text`, ...reply['text']['content'].split('\n').map((line) => `  ${line}`)];
  return [`reply (${ms} ms):`, JSON.stringify(reply, null, 2)];
}

/** The card that came with a chat answer (§6.4) or was the whole answer (§6.3). */
export function chatCardLines(card: Json | undefined, hint?: ClickHint): string[] {
  return card === undefined ? [] : ['template card:', ...cardLines(card, hint)];
}
