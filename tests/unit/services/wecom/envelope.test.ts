import { decodeEncodingAesKey } from '../../../../app/crypto/aesKey';
import { openMessage } from '../../../../app/crypto/messageCipher';
import { verifySignature } from '../../../../app/crypto/signature';
import { EnvelopeError, parseEnvelope, sealReply } from '../../../../app/services/wecom/envelope';
import {
  TV2,
  TV4,
  TV4_BODY,
  TV6,
  TV6_BODY,
  TV7,
  TV7_REPLY_JSON,
  GENERATED_RANDOM,
} from '../../../fixtures/wecom/vectors';

const KEY = decodeEncodingAesKey(TV7.encodingAesKey);
const AI_BOT_CREDS = { token: TV7.token, aesKey: KEY, receiveId: '' };

const TV2_XML_BODY =
  '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><AgentID><![CDATA[218]]></AgentID>' +
  `<Encrypt><![CDATA[${TV2.ciphertext}]]></Encrypt></xml>`;

function envelopeError(body: string): EnvelopeError {
  try {
    parseEnvelope(body);
  } catch (err) {
    if (err instanceof EnvelopeError) return err;
    throw err;
  }
  throw new Error('expected an EnvelopeError, nothing was thrown');
}

describe('parseEnvelope — accepted shapes (§4.1, §13)', () => {
  it('reads `encrypt` from the AI-bot JSON body (TV-6)', () => {
    expect(parseEnvelope(TV6_BODY)).toEqual({ encrypt: TV6.ciphertext, format: 'json' });
  });

  it('reads `Encrypt` from the classic JSON flavour', () => {
    const body = JSON.stringify({ ToUserName: 'wx5823bf96d3bd56c7', Encrypt: TV2.ciphertext, AgentID: '218' });
    expect(parseEnvelope(body)).toEqual({ encrypt: TV2.ciphertext, format: 'json' });
  });

  it('reads the golang-style {"tousername","encrypt","agentid"} body (TV-4)', () => {
    expect(parseEnvelope(TV4_BODY)).toEqual({ encrypt: TV4.ciphertext, format: 'json' });
  });

  it('reads <Encrypt> from the XML body with CDATA (TV-2)', () => {
    expect(parseEnvelope(TV2_XML_BODY)).toEqual({ encrypt: TV2.ciphertext, format: 'xml' });
  });

  it('reads a plain-text <Encrypt> and keeps digit-only values as strings', () => {
    expect(parseEnvelope('<xml><Encrypt>0012345678</Encrypt></xml>')).toEqual({ encrypt: '0012345678', format: 'xml' });
  });

  it('tolerates leading whitespace and a BOM before JSON and XML', () => {
    expect(parseEnvelope(` \r\n\t${TV6_BODY}`).encrypt).toBe(TV6.ciphertext);
    expect(parseEnvelope(`\uFEFF${TV6_BODY}`).encrypt).toBe(TV6.ciphertext);
    expect(parseEnvelope(`\n  ${TV2_XML_BODY}`)).toEqual({ encrypt: TV2.ciphertext, format: 'xml' });
  });

  it('accepts an XML declaration before <xml>', () => {
    expect(parseEnvelope(`<?xml version="1.0" encoding="UTF-8"?>\n${TV2_XML_BODY}`).encrypt).toBe(TV2.ciphertext);
  });
});

describe('parseEnvelope — rejected bodies', () => {
  it.each([
    ['empty', ''],
    ['only whitespace', '   \n'],
    ['null', 'null'],
    ['an array', '[]'],
    ['an array with an object', `[${TV6_BODY}]`],
    ['a numeric encrypt', '{"encrypt":5}'],
    ['an empty encrypt', '{"encrypt":""}'],
    ['an object encrypt', '{"encrypt":{"x":"y"}}'],
    ['no encrypt field', '{}'],
    ['an empty <xml>', '<xml></xml>'],
    ['an empty <Encrypt>', '<xml><Encrypt></Encrypt></xml>'],
    ['two <Encrypt> elements', '<xml><Encrypt>a</Encrypt><Encrypt>b</Encrypt></xml>'],
    ['a different root element', `<root><Encrypt>${TV2.ciphertext}</Encrypt></root>`],
    ['malformed XML', '<xml><Encrypt>abc</xml>'],
    ['plain text', 'encrypt=abc'],
    ['truncated JSON', TV6_BODY.slice(0, 40)],
  ])('rejects %s as BODY_MALFORMED', (_label, body) => {
    const err = envelopeError(body);
    expect(err.code).toBe('BODY_MALFORMED');
    expect(err.name).toBe('EnvelopeError');
    expect(err.message).toMatch(/^WeCom envelope: /);
  });

  it('never echoes the body in the error message', () => {
    const secretish = 'SECRET-PLAINTEXT-MARKER';
    for (const body of [`{"encrypt":5,"x":"${secretish}"}`, `<xml><x>${secretish}</x></xml>`, secretish]) {
      expect(envelopeError(body).message).not.toContain(secretish);
    }
  });
});

describe('sealReply (§4.2)', () => {
  it('reproduces the TV-7 reply exactly with TV-6 timestamp/nonce and the fixed random', () => {
    const sealed = sealReply(
      AI_BOT_CREDS,
      TV7.plaintext,
      TV6.timestamp,
      TV6.nonce,
      Buffer.from(GENERATED_RANDOM, 'latin1'),
    );
    expect(sealed).toEqual({
      encrypt: TV7.ciphertext,
      msgsignature: TV7.signature,
      timestamp: 1409659813,
      nonce: TV6.nonce,
    });
    expect(JSON.stringify(sealed)).toBe(TV7_REPLY_JSON);
  });

  it('uses a fresh random by default and still opens and verifies', () => {
    const a = sealReply(AI_BOT_CREDS, TV7.plaintext, TV6.timestamp, TV6.nonce);
    const b = sealReply(AI_BOT_CREDS, TV7.plaintext, TV6.timestamp, TV6.nonce);
    expect(a.encrypt).not.toBe(b.encrypt);
    expect(openMessage(KEY, a.encrypt, '')).toBe(TV7.plaintext);
    expect(verifySignature(TV7.token, TV6.timestamp, TV6.nonce, a.encrypt, a.msgsignature)).toBe(true);
  });

  it('encrypts with the configured receiveId (classic callback)', () => {
    const sealed = sealReply({ ...AI_BOT_CREDS, receiveId: 'wx5823bf96d3bd56c7' }, 'hi', '1', 'n');
    expect(openMessage(KEY, sealed.encrypt, 'wx5823bf96d3bd56c7')).toBe('hi');
  });

  it.each([
    ['0123', '0123'],
    ['1409659813.5', '1409659813.5'],
    ['abc', 'abc'],
    ['99999999999999999999', '99999999999999999999'],
    ['0', 0],
  ] as const)('keeps timestamp %j as %j and signs its string form', (timestamp, expected) => {
    const sealed = sealReply(AI_BOT_CREDS, '{}', timestamp, 'nonce-1');
    expect(sealed.timestamp).toStrictEqual(expected);
    expect(verifySignature(TV7.token, timestamp, 'nonce-1', sealed.encrypt, sealed.msgsignature)).toBe(true);
    expect(sealed.nonce).toBe('nonce-1');
  });
});
