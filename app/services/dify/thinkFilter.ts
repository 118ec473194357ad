/**
 * Splits streamed answer text into `thinking` and `answer` (dify-api.md §4.6, §8 P11):
 * `<think>…</think>` anywhere (several blocks, e.g. one per agent round); an orphan `</think>`
 * before any opening tag (§4.6 item 2: everything before it is thinking); the legacy 0.15
 * wrapper `<details …> <summary> Thinking... </summary>` … `</details>` (§4.6 item 3) — any
 * other `<details>` is answer text. Tags may be split across deltas, so a tail that could still
 * become a tag is held back until the next delta or `end()`, and a `<details` opening until its
 * `</summary>` decides it (at most MAX_HOLDBACK chars). Each character is scanned a bounded
 * number of times: O(total length).
 */

const THINK_OPEN = '<think>';
const THINK_CLOSE = '</think>';
const DETAILS_OPEN = '<details';
const DETAILS_CLOSE = '</details>';
const SUMMARY_OPEN = '<summary>';
const SUMMARY_CLOSE = '</summary>';
const THINKING_LABEL = 'thinking';

/** Bound on a held-back `<details …>` opening; longer than the legacy wrapper (~130 chars). */
export const MAX_HOLDBACK = 512;

type Mode = 'answer' | 'think' | 'details';
type DetailsVerdict = { kind: 'thinking'; end: number } | { kind: 'other' } | { kind: 'undecided' };

const OTHER: DetailsVerdict = { kind: 'other' };
const UNDECIDED: DetailsVerdict = { kind: 'undecided' };

/** Decides whether the `<details` at `at` opens the legacy thinking wrapper (§4.6 item 3). */
function classifyDetails(buf: string, at: number): DetailsVerdict {
  const afterName = at + DETAILS_OPEN.length;
  const next = buf.charAt(afterName);
  if (next === '') return UNDECIDED;
  if (next !== '>' && !/\s/.test(next)) return OTHER; // e.g. `<detailsX`
  const gt = buf.indexOf('>', afterName);
  if (gt === -1) return UNDECIDED;
  const rest = buf.slice(gt + 1).trimStart(); // bounded by MAX_HOLDBACK while undecided
  const seen = rest.slice(0, SUMMARY_OPEN.length);
  if (!SUMMARY_OPEN.startsWith(seen)) return OTHER;
  if (seen.length < SUMMARY_OPEN.length) return UNDECIDED;
  const close = rest.indexOf(SUMMARY_CLOSE);
  const label = rest
    .slice(SUMMARY_OPEN.length, close === -1 ? rest.length : close)
    .trimStart()
    .toLowerCase();
  const isThinking = label.startsWith(THINKING_LABEL);
  if (close === -1) return isThinking || THINKING_LABEL.startsWith(label) ? UNDECIDED : OTHER;
  return isThinking ? { kind: 'thinking', end: buf.length - rest.length + close + SUMMARY_CLOSE.length } : OTHER;
}

/** Length of the longest proper prefix of `tag` that ends `buf` (not reaching before `from`). */
function partialTagSuffix(buf: string, from: number, tag: string): number {
  for (let k = Math.min(tag.length - 1, buf.length - from); k > 0; k -= 1) {
    if (buf.endsWith(tag.slice(0, k))) return k;
  }
  return 0;
}

function initialState() {
  return {
    mode: 'answer' as Mode,
    pending: '', // held-back tail that could still become a tag
    answer: '',
    answerHasContent: false,
    trimAnswerStart: false,
    thinking: '',
    thinkingTail: '', // trailing whitespace, committed only if more thinking follows
    blockHasContent: false,
    sawOpening: false,
  };
}

export class ThinkFilter {
  private st = initialState();

  get thinking(): string {
    return this.st.thinking;
  }

  get answer(): string {
    return this.st.answer;
  }

  get inThinking(): boolean {
    return this.st.mode !== 'answer';
  }

  push(delta: string): void {
    this.st.pending += delta;
    this.scan(false);
  }

  /** EOF: releases the held-back tail (as answer text, or as thinking inside an open block). */
  end(): void {
    this.scan(true);
  }

  reset(): void {
    this.st = initialState();
  }

  private scan(final: boolean): void {
    const buf = this.st.pending;
    let pos = 0;
    while (pos < buf.length) {
      const next = this.st.mode === 'answer' ? this.scanAnswer(buf, pos, final) : this.scanBlock(buf, pos, final);
      if (next === pos) break; // the rest could still become a tag: hold it back
      pos = next;
    }
    this.st.pending = buf.slice(pos);
  }

  /** Consumes answer text up to the next `<`, or a tag at `pos`; returns the new position. */
  private scanAnswer(buf: string, pos: number, final: boolean): number {
    const lt = buf.indexOf('<', pos);
    if (lt === -1 || lt > pos) {
      const end = lt === -1 ? buf.length : lt;
      this.emitAnswer(buf.slice(pos, end));
      return end;
    }
    if (buf.startsWith(THINK_OPEN, pos)) return this.openBlock('think', pos + THINK_OPEN.length);
    if (!this.st.sawOpening && buf.startsWith(THINK_CLOSE, pos)) return this.orphanClose(pos + THINK_CLOSE.length);
    if (buf.startsWith(DETAILS_OPEN, pos)) {
      const verdict = classifyDetails(buf, pos);
      switch (verdict.kind) {
        case 'thinking':
          return this.openBlock('details', verdict.end);
        case 'undecided':
          if (!final && buf.length - pos <= MAX_HOLDBACK) return pos;
          break;
        case 'other':
          break;
        default: {
          const _exhaustive: never = verdict;
          return _exhaustive;
        }
      }
    } else if (!final && this.couldBecomeTag(buf, pos)) {
      return pos;
    }
    this.emitAnswer('<');
    return pos + 1;
  }

  private couldBecomeTag(buf: string, pos: number): boolean {
    const tail = buf.slice(pos);
    const tags = this.st.sawOpening ? [THINK_OPEN, DETAILS_OPEN] : [THINK_OPEN, DETAILS_OPEN, THINK_CLOSE];
    return tags.some((tag) => tail.length < tag.length && tag.startsWith(tail));
  }

  /** Inside a thinking block: everything up to its closing tag is thinking. */
  private scanBlock(buf: string, pos: number, final: boolean): number {
    const tag = this.st.mode === 'think' ? THINK_CLOSE : DETAILS_CLOSE;
    const at = buf.indexOf(tag, pos);
    if (at !== -1) {
      this.emitThinking(buf.slice(pos, at));
      this.closeBlock();
      return at + tag.length;
    }
    const end = buf.length - (final ? 0 : partialTagSuffix(buf, pos, tag));
    this.emitThinking(buf.slice(pos, end));
    return end;
  }

  private openBlock(mode: 'think' | 'details', next: number): number {
    this.st.mode = mode;
    this.st.sawOpening = true;
    this.st.blockHasContent = false;
    this.st.thinkingTail = '';
    return next;
  }

  private closeBlock(): void {
    this.st.mode = 'answer';
    this.st.thinkingTail = '';
    // §4.6: the answer after `</think>` starts with "\n\n"; whitespace emitted before the
    // opening tag is dropped with it while no visible answer text exists yet.
    if (!this.st.answerHasContent) {
      this.st.answer = '';
      this.st.trimAnswerStart = true;
    }
  }

  /** §4.6 item 2: with no opening tag seen, the text so far was reasoning. */
  private orphanClose(next: number): number {
    const before = this.st.answer;
    this.st.answer = '';
    this.st.answerHasContent = false;
    this.openBlock('think', next);
    this.emitThinking(before);
    this.closeBlock();
    return next;
  }

  private emitAnswer(text: string): void {
    let out = text;
    if (this.st.trimAnswerStart) {
      out = out.replace(/^\s+/, '');
      if (out === '') return;
      this.st.trimAnswerStart = false;
    }
    this.st.answer += out;
    if (!this.st.answerHasContent && /\S/.test(out)) this.st.answerHasContent = true;
  }

  /** Appends thinking with its surrounding whitespace trimmed; blocks are joined by a blank line. */
  private emitThinking(text: string): void {
    const body = this.st.blockHasContent ? text : text.replace(/^\s+/, '');
    const tailAt = body.trimEnd().length;
    if (tailAt === 0) {
      if (this.st.blockHasContent) this.st.thinkingTail += body;
      return;
    }
    const separator = !this.st.blockHasContent && this.st.thinking !== '' ? '\n\n' : '';
    this.st.thinking += separator + this.st.thinkingTail + body.slice(0, tailAt);
    this.st.thinkingTail = body.slice(tailAt);
    this.st.blockHasContent = true;
  }
}
