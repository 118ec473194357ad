import { decrypt as oracleDecrypt, encrypt as oracleEncrypt } from '@wecom/crypto';
import { randomBytes } from 'node:crypto';
import { decodeEncodingAesKey } from '../../../app/crypto/aesKey';
import { decryptMessage, encryptMessage, openMessage } from '../../../app/crypto/messageCipher';
import { CORP_ID_TV1, TV1 } from '../../fixtures/wecom/vectors';

const KEY = decodeEncodingAesKey(TV1.encodingAesKey);

describe('cross-check against the independent @wecom/crypto oracle (§14.4)', () => {
  const sizedAscii = [0, 1, 12, 15, 16, 31, 32, 33, 44, 100].map((n) => [`${n} ASCII bytes`, 'm'.repeat(n)] as const);
  const messages: ReadonlyArray<readonly [string, string]> = [
    ...sizedAscii,
    ['ASCII JSON', '{"msgtype":"text","text":{"content":"hello"}}'],
    ['Chinese', '企业微信智能机器人：你好，世界！'],
    ['emoji', '👋🏽 stream 🚀 done ✅'],
    ['mixed scripts', `思考中…${'é'.repeat(7)}🙂\n`],
    ['random printable', randomBytes(90).toString('base64')],
  ];
  const receiveIds = ['', CORP_ID_TV1];
  const cases = messages.flatMap(([label, message]) =>
    receiveIds.map((id) => [`${label}, receiveId ${JSON.stringify(id)}`, message, id] as const),
  );

  it.each(cases)('ours → oracle round-trips: %s', (_label, message, receiveId) => {
    const random = randomBytes(16);
    const decrypted = oracleDecrypt(TV1.encodingAesKey, encryptMessage(KEY, message, receiveId, random));
    expect(decrypted.message).toBe(message);
    expect(decrypted.id).toBe(receiveId);
    expect(decrypted.random.equals(random)).toBe(true);
  });

  it.each(cases)('oracle → ours round-trips byte-exact: %s', (_label, message, receiveId) => {
    const random = randomBytes(16);
    const encrypt = oracleEncrypt(TV1.encodingAesKey, message, receiveId, random);
    expect(encryptMessage(KEY, message, receiveId, random)).toBe(encrypt);
    const decrypted = decryptMessage(KEY, encrypt);
    expect(decrypted).toEqual({ message, receiveId, random });
    expect(openMessage(KEY, encrypt, receiveId)).toBe(message);
  });
});
