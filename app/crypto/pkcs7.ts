import { CryptoError } from './cryptoError';

/**
 * WeCom pads to 32-byte blocks, not AES's 16 (wecom-aibot-protocol.md §2.1, §15.1),
 * which is why Node's built-in auto-padding cannot be used.
 */
export const WECOM_BLOCK_SIZE = 32;

/** Always appends 1..blockSize bytes; a full block of padding when already aligned (§2.1). */
export function pkcs7Pad(buf: Buffer, blockSize: number = WECOM_BLOCK_SIZE): Buffer {
  const padLength = blockSize - (buf.length % blockSize);
  const out = Buffer.allocUnsafe(buf.length + padLength);
  buf.copy(out, 0);
  out.fill(padLength, buf.length);
  return out;
}

/**
 * Strict unpad (wecom-aibot-protocol.md §2.4 step 3): the length must be block-aligned,
 * the pad value within 1..blockSize and every pad byte equal to it. The official libs are
 * lenient here; being strict turns a wrong key or tampered ciphertext into a clear error.
 */
export function pkcs7Unpad(buf: Buffer, blockSize: number = WECOM_BLOCK_SIZE): Buffer {
  if (buf.length === 0 || buf.length % blockSize !== 0) {
    throw new CryptoError(
      'BAD_PADDING',
      `WeCom unpad: length ${buf.length} is not a positive multiple of ${blockSize}`,
    );
  }
  const padLength = buf[buf.length - 1] ?? 0;
  if (padLength < 1 || padLength > blockSize) {
    throw new CryptoError('BAD_PADDING', `WeCom unpad: padding byte ${formatByte(padLength)} out of range`);
  }
  const contentLength = buf.length - padLength;
  for (let i = contentLength; i < buf.length - 1; i += 1) {
    if (buf[i] !== padLength) {
      throw new CryptoError('BAD_PADDING', `WeCom unpad: inconsistent padding bytes (pad ${padLength})`);
    }
  }
  return buf.subarray(0, contentLength);
}

function formatByte(value: number): string {
  return `0x${value.toString(16).padStart(2, '0')}`;
}
