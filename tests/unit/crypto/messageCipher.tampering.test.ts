import { decodeEncodingAesKey } from '../../../app/crypto/aesKey';
import { decryptMessage, openMessage } from '../../../app/crypto/messageCipher';
import { verifySignature } from '../../../app/crypto/signature';
import { CORP_ID_TV1, TV1, TV2 } from '../../fixtures/wecom/vectors';
import { errorCode, rawEncrypt } from './cryptoTestHelpers';

const KEY = decodeEncodingAesKey(TV1.encodingAesKey);

/** random(16, ASCII '0') | uint32BE declaredLength | body | padBytes — a hand-made frame (§2.3). */
function frame(declaredLength: number, body: string, padBytes: number[]): Buffer {
  const head = Buffer.alloc(20, 0x30);
  head.writeUInt32BE(declaredLength, 16);
  return Buffer.concat([head, Buffer.from(body, 'utf8'), Buffer.from(padBytes)]);
}

/** CBC: flipping ciphertext byte i garbles its own 16-byte block and flips plaintext byte i + 16. */
function flipCiphertextByte(encrypt: string, index: number): string {
  const raw = Buffer.from(encrypt, 'base64');
  const i = index < 0 ? raw.length + index : index;
  raw[i] = (raw[i] ?? 0) ^ 0x01;
  return raw.toString('base64');
}

describe('tampering and malformed input', () => {
  it('a flipped byte in the penultimate AES block corrupts the TV-2 padding → BAD_PADDING', () => {
    expect(errorCode(() => decryptMessage(KEY, flipCiphertextByte(TV2.ciphertext, -17)))).toBe('BAD_PADDING');
  });

  it('a flipped last ciphertext byte garbles the final block → BAD_PADDING', () => {
    expect(errorCode(() => decryptMessage(KEY, flipCiphertextByte(TV2.ciphertext, -1)))).toBe('BAD_PADDING');
  });

  it('a flipped first ciphertext byte flips the msg_len high byte → BAD_FRAME', () => {
    expect(errorCode(() => decryptMessage(KEY, flipCiphertextByte(TV2.ciphertext, 0)))).toBe('BAD_FRAME');
  });

  it('a flipped byte under the receiveId garbles it → RECEIVE_ID_MISMATCH', () => {
    expect(errorCode(() => openMessage(KEY, flipCiphertextByte(TV1.ciphertext, 40), CORP_ID_TV1))).toBe(
      'RECEIVE_ID_MISMATCH',
    );
  });

  it('a flipped byte inside the message decrypts to garbage, which only the signature catches', () => {
    const tampered = flipCiphertextByte(TV2.ciphertext, 100);
    expect(openMessage(KEY, tampered, CORP_ID_TV1)).not.toBe(TV2.plaintext);
    expect(verifySignature(TV2.token, TV2.timestamp, TV2.nonce, tampered, TV2.signature)).toBe(false);
  });

  it.each([
    ['3 bytes short (not a multiple of 16)', 3, 'CIPHERTEXT_LENGTH'],
    ['one AES block short (not a multiple of 32)', 16, 'BAD_PADDING'],
    ['one WeCom block short (message bytes read as padding)', 32, 'BAD_PADDING'],
  ] as const)('rejects TV-2 truncated by %s', (_label, cut, code) => {
    const raw = Buffer.from(TV2.ciphertext, 'base64');
    expect(errorCode(() => decryptMessage(KEY, raw.subarray(0, raw.length - cut).toString('base64')))).toBe(code);
  });

  it.each([
    ['empty', ''],
    ['a single AES block', Buffer.alloc(16).toString('base64')],
  ])('rejects a ciphertext that is %s as CIPHERTEXT_LENGTH', (_label, encrypt) => {
    expect(errorCode(() => decryptMessage(KEY, encrypt))).toBe('CIPHERTEXT_LENGTH');
  });

  it.each([
    ['punctuation', '!!!!'],
    ['embedded whitespace', `${TV1.ciphertext.slice(0, 8)} ${TV1.ciphertext.slice(8)}`],
    ['a trailing newline', `${TV1.ciphertext}\n`],
    ['missing "=" padding', TV1.ciphertext.replace(/=+$/, '')],
    ['base64url characters', TV1.ciphertext.replace(/\+/g, '-').replace(/\//g, '_')],
    ['still URL-encoded', TV1.ciphertext.replace(/\//g, '%2F')],
    ['non-canonical trailing bits', `${TV1.ciphertext.slice(0, -3)}R==`],
  ])('rejects a ciphertext with %s as BASE64_INVALID', (_label, encrypt) => {
    expect(encrypt).not.toBe(TV1.ciphertext);
    expect(errorCode(() => decryptMessage(KEY, encrypt))).toBe('BASE64_INVALID');
  });

  it.each([
    ['pad byte 0', frame(4, 'abcd', [...new Array<number>(7).fill(7), 0])],
    ['pad byte 33', frame(4, 'abcd', new Array<number>(40).fill(33))],
    ['inconsistent pad bytes', frame(4, 'abcd', [7, 7, 7, 6, 7, 7, 7, 7])],
  ])('rejects a frame with %s as BAD_PADDING', (_label, plaintext) => {
    expect(plaintext.length % 32).toBe(0);
    expect(errorCode(() => decryptMessage(KEY, rawEncrypt(KEY, plaintext)))).toBe('BAD_PADDING');
  });

  it('rejects msg_len larger than the remaining buffer as BAD_FRAME', () => {
    const plaintext = frame(5, 'abcd', new Array<number>(8).fill(8));
    expect(errorCode(() => decryptMessage(KEY, rawEncrypt(KEY, plaintext)))).toBe('BAD_FRAME');
  });

  it('accepts msg_len equal to the remaining buffer (empty receiveId)', () => {
    const plaintext = frame(4, 'abcd', new Array<number>(8).fill(8));
    expect(decryptMessage(KEY, rawEncrypt(KEY, plaintext))).toMatchObject({ message: 'abcd', receiveId: '' });
  });

  it('rejects a plaintext shorter than the 20-byte header as BAD_FRAME', () => {
    const plaintext = Buffer.concat([Buffer.alloc(10, 0x30), Buffer.alloc(22, 22)]);
    expect(errorCode(() => decryptMessage(KEY, rawEncrypt(KEY, plaintext)))).toBe('BAD_FRAME');
  });

  it('rejects a key that is not 32 bytes as ILLEGAL_AES_KEY', () => {
    expect(errorCode(() => decryptMessage(KEY.subarray(0, 16), TV1.ciphertext))).toBe('ILLEGAL_AES_KEY');
  });

  it('never puts key material into an error message', () => {
    try {
      decryptMessage(KEY, flipCiphertextByte(TV2.ciphertext, -1));
      throw new Error('unreachable');
    } catch (err) {
      const message = (err as Error).message;
      expect(message).not.toContain(KEY.toString('hex').slice(0, 8));
      expect(message).not.toContain(TV1.encodingAesKey.slice(0, 8));
      expect(message).not.toContain('ToUserName');
    }
  });
});
