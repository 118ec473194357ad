import { createDecipheriv } from 'node:crypto';
import { decodeEncodingAesKey } from '../../../app/crypto/aesKey';
import { decryptMessage, encryptMessage, openMessage } from '../../../app/crypto/messageCipher';
import {
  AI_BOT_VECTORS,
  CORP_ID_TV1,
  MESSAGE_VECTORS,
  OFFICIAL_VECTORS,
  TV1,
  TV2,
  TV2_CIPHERTEXT_BYTES,
  TV2_PAD_VALUE,
  TV2_PLAINTEXT_BYTES,
  TV3,
  TV3_GET,
  TV3_PLAINTEXT_BYTES,
  TV6,
  TV6_MESSAGE_BYTES,
  type MessageVector,
} from '../../fixtures/wecom/vectors';
import { errorCode, rawDecrypt } from './cryptoTestHelpers';

const KEY = decodeEncodingAesKey(TV1.encodingAesKey);
const keyOf = (v: MessageVector): Buffer => decodeEncodingAesKey(v.encodingAesKey);
const named = (vs: readonly MessageVector[]) => vs.map((v) => [v.name, v] as const);

describe('decryptMessage — known answers (§14)', () => {
  it.each(named(MESSAGE_VECTORS))('%s decrypts to the exact plaintext and receiveId', (_name, v) => {
    const decrypted = decryptMessage(keyOf(v), v.ciphertext);
    expect(decrypted.message).toBe(v.plaintext);
    expect(decrypted.receiveId).toBe(v.receiveId);
    expect(decrypted.random).toHaveLength(16);
    if (v.random !== null) expect(decrypted.random.toString('latin1')).toBe(v.random);
  });

  it.each(named(MESSAGE_VECTORS))('%s re-encrypts byte-exact with the recovered random', (_name, v) => {
    const { message, receiveId, random } = decryptMessage(keyOf(v), v.ciphertext);
    expect(encryptMessage(keyOf(v), message, receiveId, random)).toBe(v.ciphertext);
  });

  it.each(MESSAGE_VECTORS.flatMap((v) => (v.random === null ? [] : [[v.name, v, v.random] as const])))(
    '%s encrypts from the documented plaintext/receiveId/random',
    (_name, v, random) => {
      expect(encryptMessage(keyOf(v), v.plaintext, v.receiveId, Buffer.from(random, 'latin1'))).toBe(v.ciphertext);
    },
  );

  it('TV-3 GET yields a 16-byte random (its value is not documented in §14.1)', () => {
    expect(decryptMessage(keyOf(TV3_GET), TV3_GET.ciphertext).random).toHaveLength(16);
  });
});

describe('32-byte PKCS#7 vs Node auto-padding (§2.4, §15.1)', () => {
  it('TV-2 has pad value 30 and the documented sizes', () => {
    const padded = rawDecrypt(KEY, TV2.ciphertext);
    expect(padded).toHaveLength(TV2_CIPHERTEXT_BYTES);
    expect(padded[padded.length - 1]).toBe(TV2_PAD_VALUE);
    expect(Buffer.byteLength(TV2.plaintext)).toBe(TV2_PLAINTEXT_BYTES);
  });

  it("Node's default auto-padding throws on TV-2 while decryptMessage succeeds", () => {
    const decipher = createDecipheriv('aes-256-cbc', KEY, KEY.subarray(0, 16));
    const data = Buffer.from(TV2.ciphertext, 'base64');
    expect(() => Buffer.concat([decipher.update(data), decipher.final()])).toThrow();
    expect(decryptMessage(KEY, TV2.ciphertext).message).toBe(TV2.plaintext);
  });
});

describe('msg_len counts UTF-8 bytes (§2.3, §15.2)', () => {
  it.each([
    [TV3.name, TV3, TV3_PLAINTEXT_BYTES],
    [TV6.name, TV6, TV6_MESSAGE_BYTES],
  ] as const)('%s declares its byte length, not its character count', (_name, v, bytes) => {
    const declared = rawDecrypt(keyOf(v), v.ciphertext).readUInt32BE(16);
    expect(declared).toBe(bytes);
    expect(Buffer.byteLength(v.plaintext, 'utf8')).toBe(bytes);
    expect(v.plaintext.length).toBeLessThan(bytes);
  });

  it('writes the byte length when encrypting Chinese text', () => {
    const encrypt = encryptMessage(KEY, '你好', '', Buffer.alloc(16, 1));
    expect(rawDecrypt(KEY, encrypt).readUInt32BE(16)).toBe(6);
  });
});

describe('openMessage — receiveId check (§2.4 step 5, §15.3)', () => {
  it.each(named(OFFICIAL_VECTORS))('%s opens with its CorpID and is rejected with ""', (_name, v) => {
    expect(openMessage(keyOf(v), v.ciphertext, v.receiveId)).toBe(v.plaintext);
    expect(errorCode(() => openMessage(keyOf(v), v.ciphertext, ''))).toBe('RECEIVE_ID_MISMATCH');
  });

  it.each(named(AI_BOT_VECTORS))('%s opens with "" and is rejected with a CorpID', (_name, v) => {
    expect(openMessage(keyOf(v), v.ciphertext, '')).toBe(v.plaintext);
    expect(errorCode(() => openMessage(keyOf(v), v.ciphertext, CORP_ID_TV1))).toBe('RECEIVE_ID_MISMATCH');
  });

  it('does not put either receiveId or the plaintext into the error message', () => {
    try {
      openMessage(KEY, TV1.ciphertext, 'expected-corp');
      throw new Error('unreachable');
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toMatch(/^WeCom decrypt: /);
      expect(message).not.toContain(CORP_ID_TV1);
      expect(message).not.toContain('expected-corp');
      expect(message).not.toContain(TV1.plaintext);
    }
  });
});

describe('encryptMessage', () => {
  it('uses a fresh crypto-random prefix by default', () => {
    const a = encryptMessage(KEY, 'hello', '');
    const b = encryptMessage(KEY, 'hello', '');
    expect(a).not.toBe(b);
    expect(decryptMessage(KEY, a).random.equals(decryptMessage(KEY, b).random)).toBe(false);
    expect(openMessage(KEY, a, '')).toBe('hello');
  });

  it('rejects a random that is not 16 bytes', () => {
    expect(errorCode(() => encryptMessage(KEY, 'hello', '', Buffer.alloc(15)))).toBe('BAD_FRAME');
  });

  it('pads an exactly aligned frame with a full 32-byte block', () => {
    const encrypt = encryptMessage(KEY, 'x'.repeat(12), '', Buffer.alloc(16)); // 16 + 4 + 12 = 32
    const padded = rawDecrypt(KEY, encrypt);
    expect(padded).toHaveLength(64);
    expect(padded.subarray(32).equals(Buffer.alloc(32, 32))).toBe(true);
  });
});
