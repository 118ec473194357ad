import { WECOM_CONTENT_MAX_BYTES, truncateUtf8, utf8Length } from './utf8';

/**
 * Renders an answer into WeCom `stream.content`: a full snapshot (not a delta) of at most 20480 UTF-8
 * bytes (wecom-aibot-protocol.md §6.2), with the thinking as a `<think>…</think>` section (§11).
 *
 * Truncation policy (issue #2 §7): the HEAD of the answer is kept, both while streaming and at the
 * end. The text the user is reading then never jumps, and the final snapshot shows the beginning of
 * the answer as far as it fits followed by a notice that it was cut. The answer has priority over the
 * thinking, and a notice always fits.
 */
export interface AnswerView {
  readonly answer: string;
  readonly thinking: string;
}

export interface RenderOptions {
  readonly showThinking: boolean;
  /** Shown while neither thinking nor answer has arrived. */
  readonly placeholder: string;
  /** Appended to a cut final answer. */
  readonly truncatedNotice: string;
  readonly maxBytes?: number;
}

const THINK_OPEN = '<think>';
const THINK_CLOSE = '</think>\n';
const ELLIPSIS = '…';
/** Below this many bytes a thinking section is not worth showing. */
const MIN_THINKING_BYTES = 64;

function renderThinking(thinking: string, budget: number): string {
  if (thinking === '') return '';
  const wrapper = utf8Length(THINK_OPEN) + utf8Length(THINK_CLOSE);
  if (budget - wrapper < MIN_THINKING_BYTES) return '';
  const fits = truncateUtf8(thinking, budget - wrapper);
  const body =
    fits.length === thinking.length
      ? thinking
      : truncateUtf8(thinking, budget - wrapper - utf8Length(ELLIPSIS)) + ELLIPSIS;
  return THINK_OPEN + body + THINK_CLOSE;
}

/** Keeps the head of `answer` within `budget`; `marker` is appended only when something was cut. */
function fitAnswer(answer: string, budget: number, marker: string): { text: string; cut: boolean } {
  const fits = truncateUtf8(answer, budget);
  if (fits.length === answer.length) return { text: answer, cut: false };
  return { text: truncateUtf8(answer, budget - utf8Length(marker)) + marker, cut: true };
}

/** A snapshot while the answer is still being generated. */
export function renderStreaming(view: AnswerView, opts: RenderOptions): string {
  const max = opts.maxBytes ?? WECOM_CONTENT_MAX_BYTES;
  const thinking = opts.showThinking ? view.thinking : '';
  if (view.answer === '' && thinking === '') return opts.placeholder;
  const answer = fitAnswer(view.answer, max, `\n\n${ELLIPSIS}`);
  return renderThinking(thinking, max - utf8Length(answer.text)) + answer.text;
}

/**
 * The final snapshot. `notice` (an error or the "still working" note) is appended after a blank line
 * and always fits; when the answer had to be cut, the truncation notice is added as well.
 */
export function renderFinal(view: AnswerView, notice: string | undefined, opts: RenderOptions): string {
  const max = opts.maxBytes ?? WECOM_CONTENT_MAX_BYTES;
  const tail = notice === undefined || notice === '' ? '' : (view.answer === '' ? '' : '\n\n') + notice;
  const answerBudget = max - utf8Length(tail);
  const answer = fitAnswer(view.answer, answerBudget, `\n\n${opts.truncatedNotice}`);
  const thinking = opts.showThinking ? view.thinking : '';
  return renderThinking(thinking, answerBudget - utf8Length(answer.text)) + answer.text + tail;
}

/** The answer part of a rendered snapshot: the `<think>` section this module puts first, removed. */
export function withoutThinking(content: string): string {
  if (!content.startsWith(THINK_OPEN)) return content;
  const end = content.indexOf(THINK_CLOSE);
  return end === -1 ? content : content.slice(end + THINK_CLOSE.length);
}

/** Markdown for response_url (§9): no thinking section, same byte limit. */
export function renderMarkdown(
  answer: string,
  notice: string | undefined,
  truncatedNotice: string,
  maxBytes = WECOM_CONTENT_MAX_BYTES,
): string {
  return renderFinal({ answer, thinking: '' }, notice, {
    showThinking: false,
    placeholder: '',
    truncatedNotice,
    maxBytes,
  });
}

/**
 * The end of a stream whose instance stopped before finishing it (killed, crashed): what it had shown,
 * unless only the placeholder, then the notice, which always fits (issue #4 scope 3, issue #14 scope 5).
 */
export function ownerLostFinal(shown: string, placeholder: string, notice: string, truncatedNotice: string): string {
  return renderMarkdown(shown === placeholder ? '' : withoutThinking(shown), notice, truncatedNotice);
}
