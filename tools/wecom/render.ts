/**
 * Output of the simulator: the answer growing in place on a TTY (only the final text otherwise),
 * the images of the final reply (§6.2 msg_item) and the timings.
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
