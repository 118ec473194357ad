import { createCipheriv, createDecipheriv } from 'node:crypto';
import { CryptoError } from './cryptoError';
import { pkcs7Pad, pkcs7Unpad } from './pkcs7';

const AES_256_KEY_BYTES = 32;
const AES_BLOCK_BYTES = 16;
/** One 32-byte PKCS#7 block is the least any WeCom ciphertext can hold (§2.1). */
const MIN_CIPHERTEXT_BYTES = 32;

/**
 * Whole-buffer AES-256-CBC with IV = key[0..16) and 32-byte PKCS#7, no framing
 * (wecom-aibot-protocol.md §10). Callback messages use the very same transform underneath
 * their random/length framing (§2.3), so messageCipher builds on these two functions.
 */
export function decryptMedia(aesKey: Buffer, data: Buffer): Buffer {
  assertAesKey(aesKey);
  if (data.length < MIN_CIPHERTEXT_BYTES || data.length % AES_BLOCK_BYTES !== 0) {
    throw new CryptoError(
      'CIPHERTEXT_LENGTH',
      `WeCom decrypt: ciphertext length ${data.length} is not a multiple of ${AES_BLOCK_BYTES} of at least ${MIN_CIPHERTEXT_BYTES}`,
    );
  }
  const decipher = createDecipheriv('aes-256-cbc', aesKey, aesKey.subarray(0, AES_BLOCK_BYTES));
  // §2.4 / §15.1: Node's auto-padding assumes 16-byte PKCS#7 and fails on pad values > 16.
  decipher.setAutoPadding(false);
  const padded = Buffer.concat([decipher.update(data), decipher.final()]);
  return pkcs7Unpad(padded);
}

/** Inverse of decryptMedia (§2.5 steps 1–2 without the framing); test media servers use it. */
export function encryptMedia(aesKey: Buffer, data: Buffer): Buffer {
  assertAesKey(aesKey);
  const cipher = createCipheriv('aes-256-cbc', aesKey, aesKey.subarray(0, AES_BLOCK_BYTES));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(pkcs7Pad(data)), cipher.final()]);
}

/** Fails with our own code instead of OpenSSL's "Invalid key length" RangeError. */
function assertAesKey(aesKey: Buffer): void {
  if (aesKey.length !== AES_256_KEY_BYTES) {
    throw new CryptoError(
      'ILLEGAL_AES_KEY',
      `WeCom cipher: AES key must be ${AES_256_KEY_BYTES} bytes (got ${aesKey.length})`,
    );
  }
}
