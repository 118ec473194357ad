import { decodeEncodingAesKey, isValidEncodingAesKey } from '../../../app/crypto/aesKey';
import { CryptoError } from '../../../app/crypto/cryptoError';
import { TV1, TV1_AES_KEY_HEX, TV1_IV_HEX, TV3 } from '../../fixtures/wecom/vectors';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof CryptoError ? err.code : `not a CryptoError: ${String(err)}`;
  }
  return undefined;
}

describe('decodeEncodingAesKey', () => {
  it('decodes the TV-1 key to the documented 32 bytes (§14.2 intermediate values)', () => {
    const key = decodeEncodingAesKey(TV1.encodingAesKey);
    expect(key).toHaveLength(32);
    expect(key.toString('hex')).toBe(TV1_AES_KEY_HEX);
    expect(key.subarray(0, 16).toString('hex')).toBe(TV1_IV_HEX);
  });

  it('decodes the TV-3 key to 32 bytes', () => {
    expect(decodeEncodingAesKey(TV3.encodingAesKey)).toHaveLength(32);
  });

  const invalid: Array<[string, string]> = [
    ['empty', ''],
    ['42 characters', TV1.encodingAesKey.slice(0, 42)],
    ['44 characters', `${TV1.encodingAesKey}A`],
    ['already padded with "="', `${TV1.encodingAesKey.slice(0, 42)}=`],
    ['a "+"', `+${TV1.encodingAesKey.slice(1)}`],
    ['a "/"', `/${TV1.encodingAesKey.slice(1)}`],
    ['a base64url "-"', `-${TV1.encodingAesKey.slice(1)}`],
    ['a space', ` ${TV1.encodingAesKey.slice(1)}`],
    ['a trailing newline', `${TV1.encodingAesKey.slice(0, 42)}\n`],
    ['a non-ASCII letter', `é${TV1.encodingAesKey.slice(1)}`],
  ];

  it.each(invalid)('rejects a key with %s as ILLEGAL_AES_KEY', (_label, key) => {
    expect(codeOf(() => decodeEncodingAesKey(key))).toBe('ILLEGAL_AES_KEY');
    expect(isValidEncodingAesKey(key)).toBe(false);
  });

  it('accepts valid keys in isValidEncodingAesKey', () => {
    expect(isValidEncodingAesKey(TV1.encodingAesKey)).toBe(true);
    expect(isValidEncodingAesKey(TV3.encodingAesKey)).toBe(true);
  });

  it('never echoes the key in the error message', () => {
    const almostKey = `${TV1.encodingAesKey.slice(0, 42)}!`;
    let message = '';
    try {
      decodeEncodingAesKey(almostKey);
    } catch (err) {
      message = (err as Error).message;
      expect((err as Error).name).toBe('CryptoError');
    }
    expect(message).toMatch(/^WeCom key: /);
    expect(message).not.toContain(TV1.encodingAesKey.slice(0, 8));
  });
});
