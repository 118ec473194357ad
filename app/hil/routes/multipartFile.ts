/**
 * One file field out of a `multipart/form-data` body (RFC 7578), as hil-mcp's clients upload an image
 * (`httpx` `files={"file": (name, bytes, type)}`, hil.md §4.3). The whole body is already in memory (its
 * size is capped before this), so this only finds the part: no streaming, no temporary files.
 */
export type MultipartResult =
  | { readonly ok: true; readonly bytes: Buffer; readonly fileName: string | undefined }
  | { readonly ok: false; readonly error: string };

const BOUNDARY = /boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i;
const HEADER_END = Buffer.from('\r\n\r\n');

export function boundaryOf(contentType: string | undefined): string | undefined {
  if (contentType === undefined || !/^multipart\/form-data\b/i.test(contentType)) return undefined;
  const match = BOUNDARY.exec(contentType);
  return match?.[1] ?? match?.[2];
}

/** The part named `field`: its bytes and the file name it was sent with. */
export function multipartFile(body: Buffer, contentType: string | undefined, field: string): MultipartResult {
  const boundary = boundaryOf(contentType);
  if (boundary === undefined) return { ok: false, error: 'expected multipart/form-data with a boundary' };
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    // `--boundary--` closes the body.
    if (body.subarray(start, start + 2).toString('latin1') === '--') break;
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), start);
    if (next === -1) break;
    const part = readPart(body.subarray(start, next));
    if (part !== undefined && part.name === field) return { ok: true, bytes: part.bytes, fileName: part.fileName };
    at = next + 2;
  }
  return { ok: false, error: `no "${field}" part in the form` };
}

interface Part {
  readonly name: string | undefined;
  readonly fileName: string | undefined;
  readonly bytes: Buffer;
}

/** A part is `\r\n` headers `\r\n\r\n` bytes; only Content-Disposition matters here. */
function readPart(raw: Buffer): Part | undefined {
  const headerEnd = raw.indexOf(HEADER_END);
  if (headerEnd === -1) return undefined;
  const headers = raw.subarray(0, headerEnd).toString('utf8');
  const disposition = headers.split('\r\n').find((line) => /^content-disposition\s*:/i.test(line)) ?? '';
  return {
    name: parameterOf(disposition, 'name'),
    fileName: parameterOf(disposition, 'filename'),
    bytes: raw.subarray(headerEnd + HEADER_END.length),
  };
}

function parameterOf(header: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(header);
  if (match !== null) return (match[1] as string).replace(/\\(.)/g, '$1');
  return new RegExp(`;\\s*${name}=([^;\\s]+)`, 'i').exec(header)?.[1];
}
