import { createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { decodeEncodingAesKey } from '../../../app/crypto/aesKey';
import { decryptMedia, encryptMedia } from '../../../app/crypto/mediaCipher';
import { TV8 } from '../../fixtures/wecom/vectors';
import { errorCode } from './cryptoTestHelpers';

const KEY = decodeEncodingAesKey(TV8.encodingAesKey);
const CIPHERTEXT = Buffer.from(TV8.ciphertextHex, 'hex');
const PLAINTEXT = Buffer.from(TV8.plaintextHex, 'hex');

describe('decryptMedia / encryptMedia (§10, TV-8)', () => {
  it('the hex and base64 forms of the TV-8 ciphertext agree', () => {
    expect(Buffer.from(TV8.ciphertextBase64, 'base64').equals(CIPHERTEXT)).toBe(true);
  });

  it('decrypts TV-8 to the PNG bytes with the documented md5', () => {
    const plain = decryptMedia(KEY, CIPHERTEXT);
    expect(plain.toString('hex')).toBe(TV8.plaintextHex);
    expect(plain.subarray(0, 4).toString('hex')).toBe('89504e47');
    expect(createHash('md5').update(plain).digest('hex')).toBe(TV8.plaintextMd5);
  });

  it('TV-8 carries pad value 8 (32-byte PKCS#7 over 24 bytes)', () => {
    const decipher = createDecipheriv('aes-256-cbc', KEY, KEY.subarray(0, 16));
    decipher.setAutoPadding(false);
    const padded = Buffer.concat([decipher.update(CIPHERTEXT), decipher.final()]);
    expect(padded.subarray(24).equals(Buffer.alloc(8, TV8.padValue))).toBe(true);
  });

  it('encrypts the TV-8 plaintext back to the exact ciphertext', () => {
    expect(encryptMedia(KEY, PLAINTEXT).toString('hex')).toBe(TV8.ciphertextHex);
  });

  it.each([0, 1, 15, 16, 31, 32, 33, 64, 1000, 70_000])('round-trips %i random bytes', (n) => {
    const data = randomBytes(n);
    const encrypted = encryptMedia(KEY, data);
    expect(encrypted.length % 32).toBe(0);
    expect(encrypted.length).toBeGreaterThan(n);
    expect(decryptMedia(KEY, encrypted).equals(data)).toBe(true);
  });

  it('a flipped byte before the final block corrupts the padding → BAD_PADDING', () => {
    const tampered = Buffer.from(CIPHERTEXT);
    tampered[tampered.length - 17] = (tampered[tampered.length - 17] ?? 0) ^ 0x01; // pad 8 → 9
    expect(errorCode(() => decryptMedia(KEY, tampered))).toBe('BAD_PADDING');
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['one AES block', CIPHERTEXT.subarray(0, 16)],
    ['not block aligned', CIPHERTEXT.subarray(0, 31)],
  ])('rejects a ciphertext that is %s as CIPHERTEXT_LENGTH', (_label, data) => {
    expect(errorCode(() => decryptMedia(KEY, data))).toBe('CIPHERTEXT_LENGTH');
  });

  it('rejects a key that is not 32 bytes in both directions', () => {
    expect(errorCode(() => decryptMedia(KEY.subarray(0, 24), CIPHERTEXT))).toBe('ILLEGAL_AES_KEY');
    expect(errorCode(() => encryptMedia(Buffer.alloc(0), PLAINTEXT))).toBe('ILLEGAL_AES_KEY');
  });
});
