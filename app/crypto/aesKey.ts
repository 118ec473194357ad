import { CryptoError } from './cryptoError';

/** wecom-aibot-protocol.md §2.1: EncodingAESKey is exactly 43 characters of [a-zA-Z0-9]. */
const ENCODING_AES_KEY_PATTERN = /^[A-Za-z0-9]{43}$/;
const AES_256_KEY_BYTES = 32;

export function isValidEncodingAesKey(s: string): boolean {
  if (!ENCODING_AES_KEY_PATTERN.test(s)) return false;
  return Buffer.from(`${s}=`, 'base64').length === AES_256_KEY_BYTES;
}

/**
 * Turns the admin-console EncodingAESKey into the 32-byte AES-256 key
 * (wecom-aibot-protocol.md §2.1: AESKey = base64decode(EncodingAESKey + "=")).
 * Done once at config load; the ciphers take the resulting Buffer.
 * The error message deliberately does not echo the key.
 */
export function decodeEncodingAesKey(encodingAesKey: string): Buffer {
  if (!ENCODING_AES_KEY_PATTERN.test(encodingAesKey)) {
    throw new CryptoError(
      'ILLEGAL_AES_KEY',
      `WeCom key: EncodingAESKey must be 43 characters of [A-Za-z0-9] (got ${encodingAesKey.length} characters)`,
    );
  }
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== AES_256_KEY_BYTES) {
    throw new CryptoError(
      'ILLEGAL_AES_KEY',
      `WeCom key: EncodingAESKey decodes to ${key.length} bytes, expected ${AES_256_KEY_BYTES}`,
    );
  }
  return key;
}
