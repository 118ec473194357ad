/**
 * `POST /v1/files/upload` (dify-api.md §6.1). Checks follow Dify's service-API FileApi in its
 * order: no `file` part → 400, no MIME type → 415, more than one file → 400, empty filename →
 * 400, `/` or `\` in the filename → 400, over the size limit for the extension's kind → 413.
 * Only an upload that passes all of them consumes a scripted failure (like runs, §5.2).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { multipartBoundary, parseMultipart, type FormPart } from './multipart';
import { sendDifyError, sendJson, sendScriptedError } from './responses';
import type { FakeDifyState } from './state';
import type { DifyError, FakeDifyApp, UploadLimitsMb } from './types';
import { difyError, isDifyError } from './validation';

/** Dify's IMAGE/VIDEO/AUDIO_EXTENSIONS: the kind that picks the size limit. */
const KINDS: Array<[keyof UploadLimitsMb, string[]]> = [
  ['image', ['jpg', 'jpeg', 'png', 'webp', 'gif', 'svg']],
  ['video', ['mp4', 'mov', 'mpeg', 'webm']],
  ['audio', ['mp3', 'm4a', 'wav', 'amr', 'mpga']],
];

interface AcceptedUpload {
  user: string;
  filename: string;
  mimeType: string;
  extension: string;
  bytes: Buffer;
}

/** `os.path.splitext(name)[1].lstrip('.').lower()`: a leading dot alone is no extension. */
export function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot > 0 ? filename.slice(dot + 1).toLowerCase() : '';
}

/** Limit in bytes for a file of this extension (MB are MiB in Dify: `limit * 1024 * 1024`). */
function limitBytes(limits: UploadLimitsMb, extension: string): number {
  const kind = KINDS.find(([, exts]) => exts.includes(extension))?.[0] ?? 'file';
  return limits[kind] * 1024 * 1024;
}

/** werkzeug's `FileStorage.mimetype`: the type without parameters, lowercased. */
function mimetypeOf(part: FormPart): string {
  return (part.contentType?.split(';')[0] ?? '').trim().toLowerCase();
}

/** A body that is not parseable multipart has no `request.files`, hence "no file" in Dify. */
function validateUpload(
  limits: UploadLimitsMb,
  contentType: string | undefined,
  raw: Buffer,
): AcceptedUpload | DifyError {
  const boundary = multipartBoundary(contentType);
  const parts = (boundary ? parseMultipart(raw, boundary) : undefined) ?? [];
  const files = parts.filter((part) => part.filename !== undefined);
  const file = files.find((part) => part.name === 'file');
  if (!file) return difyError(400, 'no_file_uploaded', 'Please upload your file.');
  const mimeType = mimetypeOf(file);
  if (mimeType === '') return difyError(415, 'unsupported_file_type', 'File type not allowed.');
  if (files.length > 1) return difyError(400, 'too_many_files', 'Only one file is allowed.');
  const filename = file.filename ?? '';
  if (filename === '') return difyError(400, 'filename_not_exists_error', 'The specified filename does not exist.');
  if (/[/\\]/.test(filename)) return difyError(400, 'invalid_param', 'Filename contains invalid characters');
  const extension = extensionOf(filename);
  // §6.1: the 413 message may be empty; a gateway must not depend on it.
  if (file.data.length > limitBytes(limits, extension)) return difyError(413, 'file_too_large', '');
  const userPart = parts.find((part) => part.filename === undefined && part.name === 'user');
  const user = userPart?.data.toString('utf8') ?? '';
  // §6.1: an upload without `user` is attributed to DEFAULT-USER.
  return { user: user === '' ? 'DEFAULT-USER' : user, filename, mimeType, extension, bytes: file.data };
}

export function handleUpload(
  state: FakeDifyState,
  app: FakeDifyApp,
  contentType: string | undefined,
  raw: Buffer,
  res: ServerResponse,
): void {
  const upload = validateUpload(state.uploadLimitsMb, contentType, raw);
  if (isDifyError(upload)) return sendDifyError(res, upload);
  const failure = state.nextUploadFailure(app.apiKey);
  if (failure) return sendScriptedError(res, { kind: 'error', status: failure.status, body: failure.body });
  const id = randomUUID();
  const md5 = createHash('md5').update(upload.bytes).digest('hex');
  const { user, filename, mimeType, bytes } = upload;
  state.uploads.push({ id, apiKey: app.apiKey, user, filename, mimeType, size: bytes.length, md5, bytes });
  // §6.1 success body, field order of current builds; URLs are relative as with FILES_URL unset.
  sendJson(res, 201, {
    id,
    name: filename,
    size: bytes.length,
    extension: upload.extension,
    mime_type: mimeType,
    created_by: state.endUserId(app.apiKey, user),
    created_at: Math.floor(Date.now() / 1000),
    preview_url: null,
    source_url: state.served.addUpload(id, bytes, mimeType, filename),
    original_url: null,
    user_id: null,
    tenant_id: state.tenantId,
    conversation_id: null,
    file_key: null,
    reference: null,
  });
}
