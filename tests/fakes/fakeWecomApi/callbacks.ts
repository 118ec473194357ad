/**
 * The self-built app's side of WeCom's callbacks, built ONLY on `@wecom/crypto` (an independent
 * oracle of the gateway's crypto): encrypted XML envelopes with receiveid = corp id, and the URL
 * verification GET (wecom-aibot-protocol.md §2, §3, §13).
 */
import { encrypt, getSignature } from '@wecom/crypto';
import { assertLoopback } from '../shared/localServer';
import { APP } from './templates';

export interface CallbackAnswer {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
}

let nonces = 0;
function signedQuery(sealed: string, signature?: string): { query: URLSearchParams; signature: string } {
  const timestamp = String(Math.floor(Date.now() / 1000));
  nonces += 1;
  const nonce = String(1372623149 + nonces);
  const real = getSignature(APP.token, timestamp, nonce, sealed);
  const query = new URLSearchParams({ msg_signature: signature ?? real, timestamp, nonce });
  return { query, signature: real };
}

async function answerOf(res: Response): Promise<CallbackAnswer> {
  return { status: res.status, body: await res.text(), contentType: res.headers.get('content-type') ?? '' };
}

/** POSTs `xml` encrypted in the classic envelope; `badSignature` sends a signature that does not verify. */
export async function postAppCallback(gateway: string, xml: string, badSignature = false): Promise<CallbackAnswer> {
  assertLoopback(gateway);
  const sealed = encrypt(APP.encodingAesKey, xml, APP.corpId);
  const { query, signature } = signedQuery(sealed);
  if (badSignature) query.set('msg_signature', signature.slice(0, -1) + (signature.endsWith('0') ? '1' : '0'));
  const envelope = `<xml><ToUserName><![CDATA[${APP.corpId}]]></ToUserName><Encrypt><![CDATA[${sealed}]]></Encrypt><AgentID><![CDATA[${APP.agentId}]]></AgentID></xml>`;
  const res = await fetch(`${gateway}/wecom/app/callback?${query.toString()}`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml' },
    body: envelope,
  });
  return answerOf(res);
}

/** POSTs a raw body with a valid-looking query (for malformed-body tests). */
export async function postRawAppCallback(gateway: string, body: string): Promise<CallbackAnswer> {
  assertLoopback(gateway);
  const { query } = signedQuery('whatever');
  const res = await fetch(`${gateway}/wecom/app/callback?${query.toString()}`, { method: 'POST', body });
  return answerOf(res);
}

/** The verification GET WeCom sends when an admin saves the callback URL: echostr ends with the corp id. */
export async function verifyAppUrl(gateway: string, plaintext: string, badSignature = false): Promise<CallbackAnswer> {
  assertLoopback(gateway);
  const echostr = encrypt(APP.encodingAesKey, plaintext, APP.corpId);
  const { query, signature } = signedQuery(echostr);
  if (badSignature)
    query.set(
      'msg_signature',
      signature.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
    );
  query.set('echostr', echostr);
  return answerOf(await fetch(`${gateway}/wecom/app/callback?${query.toString()}`));
}
