import { decryptMedia } from '../../crypto/mediaCipher';
import type { MediaConfig } from '../../config';
import type { Attachment } from '../wecom/turnQuery';
import { fileNameFromContentDisposition, withExtension } from './contentDisposition';
import { type DifyFileType, detectFileType } from './fileType';
import { FetchError, safeFetch } from './safeFetch';

/** A decrypted attachment, ready to upload to Dify. */
export interface DownloadedFile {
  readonly bytes: Buffer;
  readonly name: string;
  readonly mime: string;
  readonly difyType: DifyFileType;
}

export type DownloadResult =
  { readonly ok: true; readonly file: DownloadedFile } | { readonly ok: false; readonly reason: string };

/** AES-256-CBC adds at most one 32-byte padding block (wecom-aibot-protocol.md §10). */
const PADDING_ALLOWANCE = 32;

function reasonOf(err: unknown): string {
  if (err instanceof FetchError) return err.status === undefined ? err.code : `${err.code}_${err.status}`;
  if (err instanceof Error && 'code' in err) return String((err as { code: unknown }).code);
  return 'unknown';
}

/**
 * Downloads one WeCom attachment and decrypts it: the URL is pre-signed and expires after 5 minutes,
 * so this runs first in the turn; the bytes are AES-256-CBC with the bot's key (or the medium's own
 * `aeskey` in long-connection mode, §12); the type comes from magic bytes, the name from
 * Content-Disposition (§5.7).
 */
async function downloadOne(
  attachment: Attachment,
  botKey: Buffer | undefined,
  media: MediaConfig,
  signal: AbortSignal,
): Promise<DownloadResult> {
  try {
    // The URL comes from a signature-verified callback, so any origin is trusted; size and time are bounded.
    const fetched = await safeFetch(
      attachment.url,
      {
        allowedOrigins: 'any',
        allowPrivateNetworks: true,
        maxBytes: media.inboundMaxBytes + PADDING_ALLOWANCE,
        timeoutMs: media.downloadTimeoutMs,
        maxRedirects: 3,
      },
      signal,
    );
    const key = attachment.aeskey !== undefined ? Buffer.from(attachment.aeskey, 'base64') : botKey;
    if (key === undefined) return { ok: false, reason: 'no_media_key' };
    const bytes = decryptMedia(key, fetched.bytes);
    const headerName = fileNameFromContentDisposition(fetched.contentDisposition);
    const type = detectFileType(bytes, headerName);
    const name = withExtension(headerName, type.ext, attachment.kind === 'image' ? 'image' : attachment.kind);
    return { ok: true, file: { bytes, name, mime: type.mime, difyType: type.difyType } };
  } catch (err) {
    return { ok: false, reason: reasonOf(err) };
  }
}

/** All attachments of a message, in parallel, in their original order. */
export function downloadAttachments(
  attachments: readonly Attachment[],
  botKey: Buffer | undefined,
  media: MediaConfig,
  signal: AbortSignal,
): Promise<DownloadResult[]> {
  return Promise.all(attachments.map((attachment) => downloadOne(attachment, botKey, media, signal)));
}
