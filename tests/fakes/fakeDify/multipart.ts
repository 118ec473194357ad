/**
 * A small `multipart/form-data` parser (RFC 7578 / RFC 2046 §5.1) for the fake's
 * `POST /files/upload` (dify-api.md §6.1). It works on raw Buffers so binary file content is
 * kept byte-exact, and classifies parts the way werkzeug does for Flask's `request.files`:
 * a part is a file when its Content-Disposition carries a `filename` parameter (even empty).
 */

export interface FormPart {
  /** The `name` parameter of Content-Disposition. */
  name: string;
  /** Present (possibly `""`) for file parts; `filename*` (RFC 5987) wins over `filename`. */
  filename?: string;
  /** The part's Content-Type header, when it has one. */
  contentType?: string;
  data: Buffer;
}

const CRLF = Buffer.from('\r\n', 'latin1');

/** The boundary of a `multipart/form-data` Content-Type, or undefined for anything else. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\s*(;|$)/i.test(contentType)) return undefined;
  const match = /;\s*boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

/** `key=value` / `key="quoted \" value"` parameters after the first `;` of a header value. */
function headerParams(value: string): Map<string, string> {
  const params = new Map<string, string>();
  const re = /;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    const key = (m[1] ?? '').toLowerCase();
    // Like werkzeug's unquote: only \" and \\ are escapes, so `a\b.png` keeps its backslash.
    const raw = m[2] !== undefined ? m[2].replace(/\\(["\\])/g, '$1') : (m[3] ?? '').trim();
    params.set(key, raw);
  }
  return params;
}

/** RFC 5987 `UTF-8''percent-encoded` (the charset is the only one browsers and undici use). */
function extValue(value: string): string | undefined {
  const match = /^([^']*)'[^']*'(.*)$/.exec(value);
  if (!match || (match[1] ?? '').toLowerCase() !== 'utf-8') return undefined;
  try {
    return decodeURIComponent(match[2] ?? '');
  } catch {
    return undefined;
  }
}

/** Headers of one part (decoded as UTF-8: clients send raw UTF-8 filenames, RFC 7578 §4.2). */
function partOf(headerBlock: Buffer, data: Buffer): FormPart | undefined {
  const headers = new Map<string, string>();
  for (const line of headerBlock.toString('utf8').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const disposition = headers.get('content-disposition');
  if (!disposition || !/^form-data\b/i.test(disposition)) return undefined;
  const params = headerParams(disposition);
  const name = params.get('name');
  if (name === undefined) return undefined;
  const starred = params.get('filename*');
  const filename = (starred !== undefined ? extValue(starred) : undefined) ?? params.get('filename');
  const contentType = headers.get('content-type');
  return { name, filename, contentType: contentType === '' ? undefined : contentType, data: Buffer.from(data) };
}

/**
 * Splits `body` into parts. Returns undefined when the body is not well-formed multipart (no
 * opening delimiter, a part without a closing delimiter, or a part without Content-Disposition).
 */
export function parseMultipart(body: Buffer, boundary: string): FormPart[] | undefined {
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const nextDelimiter = Buffer.concat([CRLF, delimiter]);
  const parts: FormPart[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) return undefined;
  for (;;) {
    const after = at + delimiter.length;
    if (body.subarray(after, after + 2).toString('latin1') === '--') return parts;
    // Transport padding (RFC 2046 §5.1.1) may sit between the delimiter and its CRLF.
    const lineEnd = body.indexOf(CRLF, after);
    const headerEnd = lineEnd < 0 ? -1 : body.indexOf('\r\n\r\n', lineEnd);
    if (headerEnd < 0) return undefined;
    const dataStart = headerEnd + 4;
    const end = body.indexOf(nextDelimiter, dataStart);
    if (end < 0) return undefined;
    const part = partOf(body.subarray(lineEnd + 2, Math.max(lineEnd + 2, headerEnd)), body.subarray(dataStart, end));
    if (!part) return undefined;
    parts.push(part);
    at = end + CRLF.length;
  }
}

/** What `requests` records for a multipart body: the fields, and the files without their bytes. */
export function describeMultipart(body: Buffer, boundary: string): Record<string, unknown> | undefined {
  const parts = parseMultipart(body, boundary);
  if (!parts) return undefined;
  const fields: Record<string, string> = {};
  const files: Array<Record<string, unknown>> = [];
  for (const part of parts) {
    if (part.filename === undefined) fields[part.name] = part.data.toString('utf8');
    else
      files.push({ field: part.name, filename: part.filename, contentType: part.contentType, size: part.data.length });
  }
  return { fields, files };
}
