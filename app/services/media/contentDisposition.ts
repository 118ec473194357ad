/**
 * WeCom's file callbacks carry no file name; the only source is the download response's
 * `Content-Disposition` (`filename*=UTF-8''…` or `filename="…"`, wecom-aibot-protocol.md §5.7, §15.20).
 * Parsing follows RFC 6266 / RFC 5987: the extended `filename*` wins over `filename`. The result is
 * sent to Dify's upload, which rejects names containing `/` or `\` (dify-api.md §6.1), so it is
 * reduced to a plain, bounded file name.
 */
const MAX_NAME_LENGTH = 200;
/** An extension longer than this is more likely part of the name than a real file type. */
const MAX_KEPT_EXTENSION = 16;

interface Parameter {
  readonly name: string;
  readonly value: string;
}

/** A quoted-string from `start` (just after the opening quote); `\x` stands for `x` (RFC 7230). */
function readQuoted(header: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start;
  while (i < header.length && header[i] !== '"') {
    if (header[i] === '\\' && i + 1 < header.length) i += 1;
    value += header[i];
    i += 1;
  }
  return { value, end: i + 1 };
}

/**
 * The `;`-separated parameters after the disposition type; names are case-insensitive. A header
 * that starts with a parameter (no type) is accepted too.
 */
function parseParameters(header: string): Parameter[] {
  const params: Parameter[] = [];
  const firstSemicolon = header.indexOf(';');
  const startsWithParameter = /^[^;"]*=/.test(header);
  let pos: number | undefined = startsWithParameter ? 0 : firstSemicolon === -1 ? undefined : firstSemicolon + 1;
  while (pos !== undefined && pos < header.length) {
    const eq = header.indexOf('=', pos);
    if (eq === -1) break;
    // A parameter without a value (`attachment; foo; filename=a`) is skipped over.
    const name = (header.slice(pos, eq).split(';').pop() ?? '').trim().toLowerCase();
    let j = eq + 1;
    while (header[j] === ' ' || header[j] === '\t') j += 1;
    let next: number;
    if (header[j] === '"') {
      const quoted = readQuoted(header, j + 1);
      params.push({ name, value: quoted.value });
      next = header.indexOf(';', quoted.end);
    } else {
      next = header.indexOf(';', j);
      params.push({ name, value: header.slice(j, next === -1 ? undefined : next).trim() });
    }
    pos = next === -1 ? undefined : next + 1;
  }
  return params;
}

/** Percent-decoding to bytes, so ISO-8859-1 names decode as well as UTF-8 ones. */
function percentDecode(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '%' && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i] as string, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/** RFC 5987 `charset'language'value`; an unknown charset is read as UTF-8. */
function decodeExtValue(value: string): string | undefined {
  const match = /^([^']*)'[^']*'(.*)$/s.exec(value);
  if (match === null) return undefined;
  const charset = (match[1] ?? '').toLowerCase();
  const bytes = percentDecode(match[2] ?? '');
  return charset === 'iso-8859-1' || charset === 'latin1' ? bytes.toString('latin1') : bytes.toString('utf8');
}

/**
 * Node hands header values over as Latin-1, so a server sending raw UTF-8 in `filename="…"` shows up
 * as mojibake (`ä¸­.pdf`); re-read it as UTF-8 when that yields valid text.
 */
function repairPlainName(value: string): string {
  if (/^[\x00-\xff]*$/.test(value) && /[\x80-\xff]/.test(value)) {
    const asUtf8 = Buffer.from(value, 'latin1').toString('utf8');
    if (!asUtf8.includes('\ufffd')) return asUtf8;
  }
  if (/%[0-9a-fA-F]{2}/.test(value)) {
    const decoded = percentDecode(value).toString('utf8');
    if (!decoded.includes('\ufffd') && /[^\x00-\x7f]/.test(decoded)) return decoded;
  }
  return value;
}

/** Cuts by code points so a surrogate pair is never split, keeping a short extension intact. */
function capLength(name: string): string {
  const chars = Array.from(name);
  if (chars.length <= MAX_NAME_LENGTH) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? Array.from(name.slice(dot)) : [];
  if (ext.length === 0 || ext.length > MAX_KEPT_EXTENSION) return chars.slice(0, MAX_NAME_LENGTH).join('');
  return (
    chars
      .slice(0, MAX_NAME_LENGTH - ext.length)
      .join('')
      .trimEnd() + ext.join('')
  );
}

function sanitise(raw: string): string | undefined {
  const lastSegment = raw.split(/[\\/]/).pop() ?? '';
  const cleaned = lastSegment.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim();
  if (cleaned === '' || cleaned === '.' || cleaned === '..') return undefined;
  return capLength(cleaned);
}

export function fileNameFromContentDisposition(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const params = parseParameters(header);
  const extended = params.find((p) => p.name === 'filename*');
  const fromExtended = extended === undefined ? undefined : decodeExtValue(extended.value);
  const named = fromExtended === undefined ? undefined : sanitise(fromExtended);
  if (named !== undefined) return named;
  const plain = params.find((p) => p.name === 'filename');
  return plain === undefined ? undefined : sanitise(repairPlainName(plain.value));
}

/** A name for Dify's upload that always carries an extension (`image.png` when nothing is known). */
export function withExtension(name: string | undefined, ext: string, fallbackBase: string): string {
  const bareExt = ext.replace(/^\.+/, '');
  const suffix = bareExt === '' ? '' : `.${bareExt}`;
  if (name === undefined || name.trim() === '') return `${fallbackBase}${suffix}`;
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name : `${name.replace(/\.$/, '')}${suffix}`;
}
