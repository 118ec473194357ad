/**
 * UTF-8 byte budgets. WeCom limits `stream.content` and response_url markdown to 20480 bytes of UTF-8
 * (wecom-aibot-protocol.md §6.2, §9); an over-long snapshot is rejected and the stream never finishes
 * (§15.8). Cuts happen on character boundaries only.
 */
export const WECOM_CONTENT_MAX_BYTES = 20480;

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * The longest prefix of `text` that fits in `maxBytes` UTF-8 bytes, never ending inside a character
 * (a 4-byte emoji is kept or dropped whole). Returns `text` itself when it fits.
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return '';
  // Every UTF-16 code unit encodes to at most 3 bytes, so short strings need no encoding at all.
  if (text.length * 3 <= maxBytes) return text;
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let cut = maxBytes;
  // Step back over continuation bytes (10xxxxxx) to the first byte of the character that does not fit.
  while (cut > 0 && ((bytes[cut] as number) & 0xc0) === 0x80) cut -= 1;
  return bytes.toString('utf8', 0, cut);
}
