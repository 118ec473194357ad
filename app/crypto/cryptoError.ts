/**
 * The one error type thrown by app/crypto. The `code` lets callers map failures to
 * HTTP answers and log fields without parsing messages; the message is stage-prefixed
 * ("WeCom decrypt: …") and by construction never contains key material, tokens or plaintext.
 */
export type CryptoErrorCode =
  'ILLEGAL_AES_KEY' | 'BASE64_INVALID' | 'CIPHERTEXT_LENGTH' | 'BAD_PADDING' | 'BAD_FRAME' | 'RECEIVE_ID_MISMATCH';

export class CryptoError extends Error {
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string) {
    super(message);
    this.name = 'CryptoError';
    this.code = code;
  }
}
