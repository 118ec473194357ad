/**
 * What a downloaded file really is. WeCom gives no type, name or size for `file`/`video` callbacks
 * (wecom-aibot-protocol.md §5.7), and §10 says to detect the type from magic bytes; the name from
 * `Content-Disposition` is only a hint. Magic bytes therefore win over the extension, which is used
 * to tell formats apart that share a container (ZIP, OLE2) and for text, which has no signature.
 * `difyType` is the bucket Dify expects in `files[].type` (dify-api.md §2 files[]).
 */
export type DifyFileType = 'image' | 'document' | 'audio' | 'video' | 'custom';

export interface DetectedType {
  readonly mime: string;
  readonly ext: string;
  readonly difyType: DifyFileType;
}

/** dify-api.md §2 files[]: the extensions Dify lists per bucket; anything else is `custom`. */
const DIFY_BUCKETS: ReadonlyArray<readonly [DifyFileType, ReadonlySet<string>]> = [
  ['image', new Set(['jpg', 'jpeg', 'png', 'gif', 'webp', 'svg'])],
  [
    'document',
    new Set([
      'txt',
      'md',
      'markdown',
      'pdf',
      'html',
      'xlsx',
      'xls',
      'docx',
      'csv',
      'eml',
      'msg',
      'pptx',
      'ppt',
      'xml',
      'epub',
    ]),
  ],
  ['audio', new Set(['mp3', 'm4a', 'wav', 'webm', 'amr'])],
  ['video', new Set(['mp4', 'mov', 'mpeg', 'mpga'])],
];

/** Formats recognised from the file name alone, or inside a ZIP/OLE2 container. */
const MIME_BY_EXT: Readonly<Record<string, string>> = {
  txt: 'text/plain',
  md: 'text/markdown',
  markdown: 'text/markdown',
  csv: 'text/csv',
  html: 'text/html',
  htm: 'text/html',
  json: 'application/json',
  xml: 'application/xml',
  eml: 'message/rfc822',
  msg: 'application/vnd.ms-outlook',
  epub: 'application/epub+zip',
  svg: 'image/svg+xml',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
};

const TEXT_LIKE_EXTS = ['txt', 'md', 'markdown', 'csv', 'html', 'htm', 'json', 'xml', 'eml', 'msg', 'epub', 'svg'];
const ZIP_EXTS = ['docx', 'xlsx', 'pptx', 'epub'];
const OLE2_EXTS = ['doc', 'xls', 'ppt', 'msg'];

function difyTypeOf(ext: string): DifyFileType {
  for (const [type, exts] of DIFY_BUCKETS) if (exts.has(ext)) return type;
  return 'custom';
}

function detected(mime: string, ext: string): DetectedType {
  return { mime, ext, difyType: difyTypeOf(ext) };
}

function hasBytes(bytes: Buffer, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((value, i) => bytes[offset + i] === value);
}

function hasAscii(bytes: Buffer, text: string, offset = 0): boolean {
  return bytes.length >= offset + text.length && bytes.toString('latin1', offset, offset + text.length) === text;
}

function extensionOf(fileName: string | undefined): string {
  if (fileName === undefined) return '';
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** A container whose members are told apart by the name's extension (§10: name is only a hint). */
function byContainerExt(ext: string, allowed: readonly string[], fallback: DetectedType): DetectedType {
  const mime = MIME_BY_EXT[ext];
  return allowed.includes(ext) && mime !== undefined ? detected(mime, ext) : fallback;
}

/** `BM` alone also starts plain text ("BMW…"): require zero reserved bytes and a known DIB header size. */
function isBmp(bytes: Buffer): boolean {
  if (!hasAscii(bytes, 'BM') || bytes.length < 18 || bytes.readUInt32LE(6) !== 0) return false;
  return [12, 40, 52, 56, 64, 108, 124].includes(bytes.readUInt32LE(14));
}

function detectImage(bytes: Buffer): DetectedType | undefined {
  if (hasBytes(bytes, [0xff, 0xd8, 0xff])) return detected('image/jpeg', 'jpg');
  if (hasBytes(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return detected('image/png', 'png');
  if (hasAscii(bytes, 'GIF87a') || hasAscii(bytes, 'GIF89a')) return detected('image/gif', 'gif');
  if (hasAscii(bytes, 'RIFF') && hasAscii(bytes, 'WEBP', 8)) return detected('image/webp', 'webp');
  if (isBmp(bytes)) return detected('image/bmp', 'bmp');
  return undefined;
}

/** ISO-BMFF (`....ftyp<brand>`): MP4, QuickTime and M4A share the box layout. */
function detectIsoMedia(bytes: Buffer): DetectedType | undefined {
  if (!hasAscii(bytes, 'ftyp', 4) || bytes.length < 12) return undefined;
  const brand = bytes.toString('latin1', 8, 12);
  if (brand === 'qt  ') return detected('video/quicktime', 'mov');
  if (brand === 'M4A ' || brand === 'M4B ') return detected('audio/mp4', 'm4a');
  if (/^(heic|heix|heif|mif1|msf1)$/.test(brand)) return detected('image/heic', 'heic');
  if (brand === 'avif') return detected('image/avif', 'avif');
  return detected('video/mp4', 'mp4');
}

/** MPEG audio frame sync (11 set bits) with layer bits `01` = Layer III; ADTS AAC has layer `00`. */
function isMp3FrameSync(bytes: Buffer): boolean {
  const second = bytes[1];
  return bytes[0] === 0xff && second !== undefined && (second & 0xe0) === 0xe0 && (second & 0x06) === 0x02;
}

function detectMedia(bytes: Buffer): DetectedType | undefined {
  const iso = detectIsoMedia(bytes);
  if (iso !== undefined) return iso;
  if (hasAscii(bytes, '#!AMR')) return detected('audio/amr', 'amr');
  if (hasAscii(bytes, 'ID3') || isMp3FrameSync(bytes)) return detected('audio/mpeg', 'mp3');
  if (hasAscii(bytes, 'RIFF') && hasAscii(bytes, 'WAVE', 8)) return detected('audio/wav', 'wav');
  if (hasAscii(bytes, 'OggS')) return detected('audio/ogg', 'ogg');
  return undefined;
}

function detectDocument(bytes: Buffer, ext: string): DetectedType | undefined {
  if (hasAscii(bytes, '%PDF-')) return detected('application/pdf', 'pdf');
  if (hasBytes(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    return byContainerExt(ext, ZIP_EXTS, detected('application/zip', 'zip'));
  }
  if (hasBytes(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    return byContainerExt(ext, OLE2_EXTS, detected('application/x-cfb', 'cfb'));
  }
  return undefined;
}

export function detectFileType(bytes: Buffer, fileName?: string): DetectedType {
  const ext = extensionOf(fileName);
  const bySignature = detectImage(bytes) ?? detectDocument(bytes, ext) ?? detectMedia(bytes);
  if (bySignature !== undefined) return bySignature;
  const textMime = TEXT_LIKE_EXTS.includes(ext) ? MIME_BY_EXT[ext] : undefined;
  // Dify lists `html` but not `htm` (dify-api.md §2 files[]), so the canonical extension is reported.
  if (textMime !== undefined) return detected(textMime, ext === 'htm' ? 'html' : ext);
  return detected('application/octet-stream', 'bin');
}
