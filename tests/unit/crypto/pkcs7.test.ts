import { CryptoError } from '../../../app/crypto/cryptoError';
import { pkcs7Pad, pkcs7Unpad, WECOM_BLOCK_SIZE } from '../../../app/crypto/pkcs7';

function thrown(fn: () => unknown): CryptoError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CryptoError) return err;
    throw err;
  }
  throw new Error('expected a CryptoError, nothing was thrown');
}

describe('pkcs7Pad / pkcs7Unpad (32-byte blocks, §2.1)', () => {
  it('uses a 32-byte block', () => {
    expect(WECOM_BLOCK_SIZE).toBe(32);
  });

  it.each(Array.from({ length: 70 }, (_, n) => n))('pads %i bytes to the next multiple of 32 and unpads back', (n) => {
    const input = Buffer.alloc(n, 0x61);
    const padded = pkcs7Pad(input);
    const expectedPad = 32 - (n % 32);
    expect(padded.length).toBe(n + expectedPad);
    expect(padded.length % 32).toBe(0);
    expect([...padded.subarray(n)]).toEqual(new Array<number>(expectedPad).fill(expectedPad));
    expect(pkcs7Unpad(padded).equals(input)).toBe(true);
  });

  it('appends a full block of 0x20 when the input is already aligned', () => {
    const padded = pkcs7Pad(Buffer.alloc(64, 1));
    expect(padded.length).toBe(96);
    expect(padded.subarray(64).equals(Buffer.alloc(32, 0x20))).toBe(true);
  });

  it('does not modify its input', () => {
    const input = Buffer.from('abc');
    pkcs7Pad(input);
    expect(input.toString()).toBe('abc');
  });

  it('honours an explicit block size', () => {
    const padded = pkcs7Pad(Buffer.from('0123456789'), 16);
    expect(padded.length).toBe(16);
    expect(padded[15]).toBe(6);
    expect(pkcs7Unpad(padded, 16).toString()).toBe('0123456789');
  });

  it('rejects pad byte 0 with a stage-prefixed message', () => {
    const buf = Buffer.alloc(32, 0x61);
    buf[31] = 0;
    const err = thrown(() => pkcs7Unpad(buf));
    expect(err.code).toBe('BAD_PADDING');
    expect(err.message).toBe('WeCom unpad: padding byte 0x00 out of range');
  });

  it('rejects pad byte 33 even when 33 bytes would be available', () => {
    const buf = Buffer.alloc(64, 33);
    expect(thrown(() => pkcs7Unpad(buf)).code).toBe('BAD_PADDING');
  });

  it('rejects inconsistent pad bytes', () => {
    const buf = pkcs7Pad(Buffer.alloc(20, 0x61)); // pad 12
    buf[buf.length - 12] = 11;
    expect(thrown(() => pkcs7Unpad(buf)).code).toBe('BAD_PADDING');
  });

  it('rejects a length that is not a multiple of the block size', () => {
    expect(thrown(() => pkcs7Unpad(Buffer.alloc(48, 16))).code).toBe('BAD_PADDING');
  });

  it('rejects an empty buffer', () => {
    expect(thrown(() => pkcs7Unpad(Buffer.alloc(0))).code).toBe('BAD_PADDING');
  });

  it('accepts a full block of padding as an empty payload', () => {
    expect(pkcs7Unpad(Buffer.alloc(32, 32))).toHaveLength(0);
  });
});
