/**
 * Signed file URLs of the fake Dify (dify-api.md §4.7): tool files at
 * `/files/tools/<uuid>.<ext>` and uploaded files at `/files/<uuid>/file-preview`, both with
 * `?timestamp=&nonce=&sign=` and no `/v1` prefix. As in Dify the signature is the only
 * credential (no Authorization header) and it expires after FILES_ACCESS_TIMEOUT (300 s).
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendDifyError } from './responses';
import type { ServeFileOptions } from './types';
import { difyError } from './validation';

/** FILES_ACCESS_TIMEOUT default (§4.7). */
const DEFAULT_TTL_MS = 300_000;

interface Entry {
  /** The id inside the signed message (tool file id or upload file id). */
  id: string;
  bytes: Buffer;
  contentType: string;
  name?: string;
  expiresAt: number;
  status?: number;
  redirectTo?: string;
}

/** Python's `mimetypes.guess_extension` for the types tools produce; Dify falls back to `.bin`. */
const EXTENSIONS: Record<string, string> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'image/svg+xml': '.svg',
  'application/pdf': '.pdf',
  'application/json': '.json',
  'text/plain': '.txt',
  'text/csv': '.csv',
  'audio/mpeg': '.mp3',
  'video/mp4': '.mp4',
};

function extensionFor(contentType: string, name: string | undefined): string {
  const known = EXTENSIONS[(contentType.split(';')[0] ?? '').trim().toLowerCase()];
  if (known) return known;
  const fromName = /\.[A-Za-z0-9]{1,8}$/.exec(name ?? '')?.[0];
  return fromName ? fromName.toLowerCase() : '.bin';
}

const ERROR_CODES: Record<number, string> = {
  400: 'bad_request',
  403: 'forbidden',
  404: 'not_found',
  500: 'internal_server_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
};

export class ServedFiles {
  /** Stands in for Dify's SECRET_KEY: signatures are only valid for this fake instance. */
  private readonly secret = randomBytes(32);
  /** URL pathname → file. */
  private readonly entries = new Map<string, Entry>();

  /** A tool file, signed like `sign_tool_file` (§4.7); returns the relative path + query. */
  addToolFile(opts: ServeFileOptions): string {
    const id = randomUUID();
    const pathname = `/files/tools/${id}${extensionFor(opts.contentType, opts.name)}`;
    const { bytes, contentType, name, status, redirectTo } = opts;
    const expiresAt = Date.now() + (opts.ttlMs ?? DEFAULT_TTL_MS);
    this.entries.set(pathname, { id, bytes, contentType, name, expiresAt, status, redirectTo });
    return pathname + this.signedQuery(id);
  }

  /** An uploaded file's `source_url` (`/files/<id>/file-preview?…`, §4.7 "Uploaded-file URLs"). */
  addUpload(id: string, bytes: Buffer, contentType: string, name: string): string {
    const pathname = `/files/${id}/file-preview`;
    this.entries.set(pathname, { id, bytes, contentType, name, expiresAt: Date.now() + DEFAULT_TTL_MS });
    return pathname + this.signedQuery(id);
  }

  private signedQuery(id: string): string {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(16).toString('hex');
    return `?timestamp=${timestamp}&nonce=${nonce}&sign=${this.sign(id, timestamp, nonce)}`;
  }

  /** HMAC-SHA256 over `file-preview|id|timestamp|nonce`, urlsafe base64 WITH padding like Python's. */
  private sign(id: string, timestamp: string, nonce: string): string {
    const digest = createHmac('sha256', this.secret)
      .update(`file-preview|${id}|${timestamp}|${nonce}`)
      .digest('base64');
    return digest.replace(/\+/g, '-').replace(/\//g, '_');
  }

  private verified(entry: Entry, query: URLSearchParams): boolean {
    const expected = Buffer.from(this.sign(entry.id, query.get('timestamp') ?? '', query.get('nonce') ?? ''));
    const given = Buffer.from(query.get('sign') ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /**
   * GET/HEAD of a served path. Unknown path → 404 first (so a made-up name is "not found");
   * then a bad or missing signature, or one past its ttl → 403 `Invalid request.` (Dify's
   * `Forbidden` from the files controller); then the scripted status / redirect; then the bytes.
   */
  respond(url: URL, method: string, res: ServerResponse): void {
    const entry = this.entries.get(url.pathname);
    if (!entry) return sendDifyError(res, difyError(404, 'not_found', 'file is not found'));
    if (!this.verified(entry, url.searchParams) || Date.now() > entry.expiresAt) {
      return sendDifyError(res, difyError(403, 'forbidden', 'Invalid request.'));
    }
    if (entry.status !== undefined) {
      const message = entry.status === 404 ? 'file is not found' : `forced status ${entry.status}`;
      return sendDifyError(res, difyError(entry.status, ERROR_CODES[entry.status] ?? 'unknown', message));
    }
    if (entry.redirectTo !== undefined) {
      res.writeHead(302, { Location: entry.redirectTo, 'Content-Length': 0 });
      res.end();
      return;
    }
    const headers: Record<string, string | number> = {
      'Content-Type': entry.contentType,
      'Content-Length': entry.bytes.length,
    };
    if (url.searchParams.get('as_attachment') === 'true' && entry.name) {
      headers['Content-Disposition'] = `attachment; filename*=UTF-8''${encodeURIComponent(entry.name)}`;
    }
    res.writeHead(200, headers);
    res.end(method === 'HEAD' ? undefined : entry.bytes);
  }
}
