import { Lexer, type Token, type Tokens } from 'marked';

/**
 * Markdown images in a Dify answer (`![name](/files/tools/…)`, dify-api.md §4.7). WeCom desktop does
 * not render image links without an image extension, and `msg_item` images are shown after the text
 * anyway (wecom-aibot-protocol.md §6.2, §11, §15.11), so the gateway moves them into `msg_item` and
 * takes the markdown out. A real lexer decides what is an image, so examples inside code are kept.
 */
export interface MarkdownImage {
  readonly url: string;
  readonly alt: string;
  /** Offsets into the source text; `end` is exclusive. */
  readonly start: number;
  readonly end: number;
}

export interface RangeReplacement {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export class ReplaceRangeError extends Error {
  readonly code = 'RANGES_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'ReplaceRangeError';
  }
}

interface Span {
  readonly start: number;
  readonly end: number;
}

interface WalkState {
  readonly source: string;
  cursor: number;
  readonly found: MarkdownImage[];
}

/** Their content is shown literally, so image syntax inside them is not an image. */
const LITERAL_TYPES = new Set(['code', 'codespan', 'html']);

/**
 * Block tokens inside blockquotes and list items are lexed from text with `>` and indentation
 * removed, so their `raw` is not a slice of the source; their lines still appear in order.
 */
function locateByLines(source: string, raw: string, from: number, limit: number): Span | undefined {
  const lines = raw
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  let start: number | undefined;
  let pos = from;
  for (const line of lines) {
    const at = source.indexOf(line, pos);
    if (at === -1 || at + line.length > limit) return undefined;
    start ??= at;
    pos = at + line.length;
  }
  return start === undefined ? undefined : { start, end: pos };
}

/** marked tokens carry `raw` but no offsets: find it after everything already visited. */
function locate(source: string, raw: string, from: number, limit: number): Span | undefined {
  if (raw === '') return undefined;
  const at = source.indexOf(raw, from);
  if (at !== -1 && at + raw.length <= limit) return { start: at, end: at + raw.length };
  return locateByLines(source, raw, from, limit);
}

/** Table cells have no `raw`; their tokens are searched in order inside the table's span. */
function childrenOf(token: Token): readonly Token[] {
  if (token.type === 'list') return (token as Tokens.List).items;
  if (token.type === 'table') {
    const table = token as Tokens.Table;
    return [...table.header, ...table.rows.flat()].flatMap((cell) => cell.tokens);
  }
  const nested = (token as { tokens?: unknown }).tokens;
  return Array.isArray(nested) ? (nested as Token[]) : [];
}

function visit(token: Token, limit: number, state: WalkState): void {
  const span = locate(state.source, token.raw, state.cursor, limit);
  if (token.type === 'image') {
    const image = token as Tokens.Image;
    if (span !== undefined) state.found.push({ url: image.href, alt: image.text, ...span });
  } else if (!LITERAL_TYPES.has(token.type)) {
    const children = childrenOf(token);
    if (span !== undefined) state.cursor = span.start;
    // A container that could not be located is transparent: its children are searched in the parent's range.
    walk(children, span?.end ?? limit, state);
  }
  if (span !== undefined) state.cursor = Math.max(state.cursor, span.end);
}

function walk(tokens: readonly Token[], limit: number, state: WalkState): void {
  for (const token of tokens) visit(token, limit, state);
}

export function findMarkdownImages(markdown: string): MarkdownImage[] {
  if (!markdown.includes('![')) return [];
  // marked turns CR LF into LF; a same-length substitute keeps every offset valid for the original.
  const source = markdown.replace(/\r\n?/g, (eol) => (eol.length === 2 ? ' \n' : '\n'));
  const state: WalkState = { source, cursor: 0, found: [] };
  walk(Lexer.lex(source), source.length, state);
  return state.found;
}

export function replaceRanges(text: string, replacements: ReadonlyArray<RangeReplacement>): string {
  const sorted = [...replacements].sort((a, b) => a.start - b.start);
  let result = '';
  let pos = 0;
  for (const { start, end, text: replacement } of sorted) {
    if (start < pos || end < start || end > text.length) throw new ReplaceRangeError(`invalid range ${start}..${end}`);
    result += text.slice(pos, start) + replacement;
    pos = end;
  }
  return result + text.slice(pos);
}

/** Removing an image leaves its blank lines and indentation behind. */
export function tidyAfterRemoval(text: string): string {
  return text
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd();
}

/** `![alt](url)`: one level of nested brackets in the alt, one of parentheses in the destination. */
const COMPLETE_IMAGE = /!\[(?:[^[\]\n]|\[[^[\]\n]*\])*\]\((?:[^()\n]|\([^()\n]*\))*\)/g;
/** An image still being typed at the very end: `![ima`, `![img]`, `![img](/files/to`. */
const TRAILING_PARTIAL = /!\[(?:[^[\]\n]|\[[^[\]\n]*(?:\]|$))*(?:\](?:\((?:[^()\n]|\([^()\n]*(?:\)|$))*)?)?$/;

/**
 * While streaming, content is a full snapshot re-sent about once a second (§6.2); raw image links
 * would flash and then vanish when the final reply moves them into `msg_item`. This runs on every
 * snapshot, so it is a regex pass rather than the lexer; the final text is handled by the lexer.
 */
export function hideImagesWhileStreaming(text: string): string {
  if (!text.includes('![')) return text;
  return text.replace(COMPLETE_IMAGE, '').replace(TRAILING_PARTIAL, '');
}
