import { createCipheriv, createDecipheriv } from 'node:crypto';
import { CryptoError, type CryptoErrorCode } from '../../../app/crypto/cryptoError';

/** The CryptoError code thrown by fn, or 'no error'; any other exception propagates and fails the test. */
export function errorCode(fn: () => unknown): CryptoErrorCode | 'no error' {
  try {
    fn();
  } catch (err) {
    if (err instanceof CryptoError) return err.code;
    throw err;
  }
  return 'no error';
}

/** AES-256-CBC (IV = key[0..16)) without any padding, so tests can hand-craft broken plaintext frames. */
export function rawEncrypt(key: Buffer, plaintext: Buffer): string {
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plaintext), cipher.final()]).toString('base64');
}

/** Inverse of rawEncrypt: the padded plaintext frame exactly as encrypted. */
export function rawDecrypt(key: Buffer, encrypt: string): Buffer {
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  return Buffer.concat([decipher.update(Buffer.from(encrypt, 'base64')), decipher.final()]);
}
