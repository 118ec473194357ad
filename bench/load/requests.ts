import { randomBytes } from 'node:crypto';
import { decodeEncodingAesKey } from '../../app/crypto/aesKey';
import { encryptMessage } from '../../app/crypto/messageCipher';
import { computeSignature } from '../../app/crypto/signature';

/** A callback ready to send: path with the signed query, and the encrypted JSON body. */
export interface SignedRequest {
  readonly path: string;
  readonly body: string;
}

export const BENCH_BOT = {
  token: 'benchToken',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  aibotid: 'aibBENCH',
} as const;
const aesKey = decodeEncodingAesKey(BENCH_BOT.encodingAesKey);

/** Signs and encrypts like WeCom (wecom-aibot-protocol.md §2, §4.1). */
export function signedRequest(payload: Record<string, unknown>): SignedRequest {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(100_000_000 + Math.floor(Math.random() * 900_000_000));
  const encrypt = encryptMessage(aesKey, JSON.stringify(payload), '');
  const signature = computeSignature(BENCH_BOT.token, timestamp, nonce, encrypt);
  return {
    path: `/wecom/callback/bench?msg_signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`,
    body: JSON.stringify({ encrypt }),
  };
}

/** A new user message: a fresh msgid and, by default, a fresh user so turns do not queue behind each other. */
export function textMessage(text: string, userid = `u${randomBytes(6).toString('hex')}`): SignedRequest {
  return signedRequest({
    msgid: randomBytes(16).toString('hex'),
    aibotid: BENCH_BOT.aibotid,
    chattype: 'single',
    from: { userid },
    response_url: 'http://127.0.0.1:9/cgi-bin/aibot/response?response_code=bench',
    msgtype: 'text',
    text: { content: text },
  });
}

/** A stream refresh for `streamId` (§5.9). */
export function pollRequest(streamId: string): SignedRequest {
  return signedRequest({
    msgid: randomBytes(16).toString('hex'),
    aibotid: BENCH_BOT.aibotid,
    chattype: 'single',
    from: { userid: 'poller' },
    msgtype: 'stream',
    stream: { id: streamId },
  });
}
