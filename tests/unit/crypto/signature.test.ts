import { getSignature as oracleSignature } from '@wecom/crypto';
import { randomBytes } from 'node:crypto';
import { computeSignature, verifySignature } from '../../../app/crypto/signature';
import { MESSAGE_VECTORS, TV6, TV7 } from '../../fixtures/wecom/vectors';

/** Replace one character with a different one of the same kind so the input stays plausible. */
function flipChar(s: string, index: number): string {
  const c = s.charAt(index);
  const replacement = /[0-9]/.test(c) ? String((Number(c) + 1) % 10) : c === 'A' ? 'B' : 'A';
  return s.slice(0, index) + replacement + s.slice(index + 1);
}

describe('computeSignature (§2.2)', () => {
  it.each(MESSAGE_VECTORS.map((v) => [v.name, v] as const))('recomputes the %s signature', (_name, v) => {
    expect(computeSignature(v.token, v.timestamp, v.nonce, v.ciphertext)).toBe(v.signature);
    expect(verifySignature(v.token, v.timestamp, v.nonce, v.ciphertext, v.signature)).toBe(true);
  });

  it('depends only on the set of inputs, not on their argument positions (sorted, §2.2)', () => {
    const { token, timestamp, nonce, ciphertext } = TV6;
    expect(computeSignature(ciphertext, nonce, timestamp, token)).toBe(TV6.signature);
    expect(computeSignature(nonce, token, ciphertext, timestamp)).toBe(TV6.signature);
  });

  it('is 40 lowercase hex digits', () => {
    expect(computeSignature('a', 'b', 'c', 'd')).toMatch(/^[0-9a-f]{40}$/);
  });

  it('equals the @wecom/crypto oracle for random inputs', () => {
    for (let i = 0; i < 200; i += 1) {
      const token = randomBytes(1 + (i % 32)).toString('base64url');
      const timestamp = String(1_700_000_000 + i * 7919);
      const nonce = String(randomBytes(4).readUInt32BE(0));
      const encrypt = randomBytes(16 + i).toString('base64');
      expect(computeSignature(token, timestamp, nonce, encrypt)).toBe(
        oracleSignature(token, timestamp, nonce, encrypt),
      );
    }
  });
});

describe('verifySignature', () => {
  const v = TV7;

  it.each([
    ['token', 0],
    ['timestamp', 1],
    ['nonce', 2],
    ['encrypt', 3],
  ] as const)('returns false when one character of %s is flipped', (_label, position) => {
    const args: [string, string, string, string] = [v.token, v.timestamp, v.nonce, v.ciphertext];
    args[position] = flipChar(args[position], 3);
    expect(verifySignature(...args, v.signature)).toBe(false);
  });

  it('returns false for a flipped signature digit', () => {
    expect(verifySignature(v.token, v.timestamp, v.nonce, v.ciphertext, flipChar(v.signature, 0))).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['one digit short', TV7.signature.slice(1)],
    ['one digit long', `${TV7.signature}0`],
    ['uppercase', TV7.signature.toUpperCase()],
    ['non-hex', `${TV7.signature.slice(0, 39)}g`],
    ['padded with spaces', ` ${TV7.signature.slice(1)}`],
    ['a sha256', 'a'.repeat(64)],
    ['multi-byte characters of the right length', '你'.repeat(40)],
  ])('returns false without throwing for a signature that is %s', (_label, signature) => {
    expect(() => verifySignature(v.token, v.timestamp, v.nonce, v.ciphertext, signature)).not.toThrow();
    expect(verifySignature(v.token, v.timestamp, v.nonce, v.ciphertext, signature)).toBe(false);
  });
});
