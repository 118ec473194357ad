import { createHash, timingSafeEqual, type Hash } from 'node:crypto';

/** 20-byte SHA1 digest written as 40 lowercase hex digits (wecom-aibot-protocol.md §2.2). */
const SIGNATURE_PATTERN = /^[0-9a-f]{40}$/;

/**
 * SHA1 over the four strings sorted lexicographically and concatenated without separator
 * (wecom-aibot-protocol.md §2.2). Array#sort compares UTF-16 code units, which equals byte
 * order for the ASCII inputs WeCom uses. Feeding the parts one by one avoids building the
 * concatenated string.
 */
function sortedSha1(token: string, timestamp: string, nonce: string, encrypt: string): Hash {
  const hash = createHash('sha1');
  for (const part of [token, timestamp, nonce, encrypt].sort()) hash.update(part, 'utf8');
  return hash;
}

/** msg_signature / msgsignature as lowercase hex (§2.2, §4.2). */
export function computeSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return sortedSha1(token, timestamp, nonce, encrypt).digest('hex');
}

/**
 * Constant-time check of a received signature (§2.2: our choice; the official libs use ==).
 * Runs on every callback, so it never throws: anything that is not 40 lowercase hex digits
 * is a mismatch. Comparing the raw 20-byte digests skips a hex encode of our own hash.
 */
export function verifySignature(
  token: string,
  timestamp: string,
  nonce: string,
  encrypt: string,
  signature: string,
): boolean {
  if (!SIGNATURE_PATTERN.test(signature)) return false;
  const expected = sortedSha1(token, timestamp, nonce, encrypt).digest();
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}
