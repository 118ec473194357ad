import type { Texts } from '../../config/texts';
import type { Attachment, QueryPiece, TurnQuery } from '../wecom/turnQuery';

/** What became of one attachment before the run: uploaded (with its file name), or not. */
export interface AttachmentOutcome {
  readonly ok: boolean;
  readonly name: string | undefined;
}

type AskQuery = Extract<TurnQuery, { kind: 'ask' }>;

/** Images are numbered in the order the user sent them, quoted ones included. */
function imageNumber(attachments: readonly Attachment[], index: number): number {
  return attachments.slice(0, index + 1).filter((a) => a.kind === 'image').length;
}

/** How the agent sees an attachment inside the question: a marker at the place it appeared. */
function marker(attachments: readonly Attachment[], index: number, outcome: AttachmentOutcome | undefined): string {
  const attachment = attachments[index] as Attachment;
  const failed = outcome?.ok === true ? '' : '（未能读取）';
  switch (attachment.kind) {
    case 'image':
      return `[图片${imageNumber(attachments, index)}${failed}]`;
    case 'file':
      return `[文件${outcome?.name !== undefined ? `：${outcome.name}` : ''}${failed}]`;
    case 'video':
      return `[视频${failed}]`;
    default: {
      const exhaustive: never = attachment.kind;
      return exhaustive;
    }
  }
}

function render(
  pieces: readonly QueryPiece[],
  attachments: readonly Attachment[],
  outcomes: readonly AttachmentOutcome[],
): string {
  return pieces
    .map((piece) => ('text' in piece ? piece.text : marker(attachments, piece.attachment, outcomes[piece.attachment])))
    .join('\n');
}

/**
 * The `query` sent to Dify. A message of attachments only gets a short request so the query is never
 * empty (Dify rejects an empty query, dify-api.md §2); a quote comes first as context (§5.8).
 */
export function composeQuery(query: AskQuery, outcomes: readonly AttachmentOutcome[], texts: Texts): string {
  let question = render(query.pieces, query.attachments, outcomes);
  if (!query.pieces.some((piece) => 'text' in piece)) question = `${question}\n${texts.QUERY_ATTACHMENTS_ONLY}`;
  if (query.quote === undefined) return question;
  return `${texts.QUERY_QUOTE_INTRO}\n${render(query.quote, query.attachments, outcomes)}\n\n${question}`;
}

/** How the user is told which attachment could not be read: "第2张图片", "引用的文件", "视频". */
export function attachmentLabel(attachments: readonly Attachment[], index: number): string {
  const attachment = attachments[index] as Attachment;
  const noun = attachment.kind === 'image' ? '图片' : attachment.kind === 'file' ? '文件' : '视频';
  if (attachment.fromQuote) return `引用的${noun}`;
  if (attachment.kind !== 'image') return noun;
  const total = attachments.filter((a) => a.kind === 'image' && !a.fromQuote).length;
  return total > 1 ? `第${imageNumber(attachments, index)}张图片` : '图片';
}
