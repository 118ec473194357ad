/**
 * WeCom's side of the callback transport (wecom-aibot-protocol.md §3, §4): sign and encrypt exactly
 * as WeCom does, and check each passive reply more strictly than WeCom would (§4.2): msgsignature,
 * nonce, receiveid "".
 */
import { randomInt } from 'node:crypto';
import { decryptMessage, encryptMessage } from '../../app/crypto/messageCipher';
import { computeSignature, verifySignature } from '../../app/crypto/signature';
import type { Credentials } from './args';
import { CliError } from './errors';
import { checkStatus, send } from './http';

export interface CallbackReply {
  /** The decrypted reply JSON, or undefined for an empty reply ("" or "success"). */
  reply: Record<string, unknown> | undefined;
  ms: number;
}

const randomNonce = (): string => String(randomInt(100_000_000, 2_000_000_000));
const unixSeconds = (): string => String(Math.floor(Date.now() / 1000));

function withQuery(url: URL, query: Record<string, string>): URL {
  const out = new URL(url);
  for (const [key, value] of Object.entries(query)) out.searchParams.set(key, value);
  return out;
}

/** §3: GET with a random echostr; the body must be the echostr's plaintext exactly. */
export async function verifyUrl(url: URL, creds: Credentials): Promise<number> {
  const echo = `${Date.now()}${randomNonce()}`;
  const timestamp = unixSeconds();
  const nonce = randomNonce();
  const echostr = encryptMessage(creds.aesKey, echo, '');
  const signature = computeSignature(creds.token, timestamp, nonce, echostr);
  const result = await send(withQuery(url, { msg_signature: signature, timestamp, nonce, echostr }), { method: 'GET' });
  checkStatus(result);
  if (result.text !== echo) {
    throw new CliError(
      `the gateway answered ${JSON.stringify(result.text.slice(0, 80))} instead of the echostr plaintext ${JSON.stringify(echo)}`,
    );
  }
  return result.ms;
}

function parseEnvelope(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(`the reply is not JSON: ${JSON.stringify(text.slice(0, 120))}`);
  }
  if (
    parsed === null ||
    typeof parsed !== 'object' ||
    Array.isArray(parsed) ||
    typeof (parsed as Record<string, unknown>)['encrypt'] !== 'string'
  ) {
    throw new CliError(
      `the reply is JSON but not an encrypted envelope {encrypt, msgsignature, timestamp, nonce}: ${text.slice(0, 120)}`,
    );
  }
  return parsed as Record<string, unknown>;
}

/** §4.2: verify msgsignature, the nonce and receiveid "", then decrypt and parse. */
export function openEnvelope(
  envelope: Record<string, unknown>,
  creds: Credentials,
  sentNonce: string,
): Record<string, unknown> {
  const sealed = envelope['encrypt'] as string;
  const timestamp = String(envelope['timestamp'] ?? '');
  const nonce = String(envelope['nonce'] ?? '');
  if (nonce !== sentNonce)
    throw new CliError(
      `the reply's nonce ${JSON.stringify(nonce)} is not the nonce sent (${sentNonce}); WeCom requires the callback's nonce (§4.2)`,
    );
  const signature = String(envelope['msgsignature'] ?? '');
  if (!verifySignature(creds.token, timestamp, nonce, sealed, signature)) {
    throw new CliError(
      `the reply's msgsignature does not verify over (token, timestamp, nonce, encrypt): wrong Token (the gateway signs with a different token)`,
    );
  }
  let plain: string;
  try {
    const opened = decryptMessage(creds.aesKey, sealed);
    if (opened.receiveId !== '')
      throw new CliError(
        `the reply decrypts with receiveid of ${opened.receiveId.length} characters instead of "" (the gateway has WECOM_RECEIVE_ID set; AI bots use "")`,
      );
    plain = opened.message;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError('the reply does not decrypt: wrong EncodingAESKey (the gateway encrypts with a different key)');
  }
  try {
    return JSON.parse(plain) as Record<string, unknown>;
  } catch {
    throw new CliError(`the decrypted reply is not JSON: ${JSON.stringify(plain.slice(0, 120))}`);
  }
}

/** §4.1: encrypt + sign + POST {"encrypt": …}; returns the checked, decrypted reply. */
export async function postCallback(
  url: URL,
  creds: Credentials,
  payload: Record<string, unknown>,
): Promise<CallbackReply> {
  const timestamp = unixSeconds();
  const nonce = randomNonce();
  const sealed = encryptMessage(creds.aesKey, JSON.stringify(payload), '');
  const signature = computeSignature(creds.token, timestamp, nonce, sealed);
  const result = await send(withQuery(url, { msg_signature: signature, timestamp, nonce }), {
    method: 'POST',
    body: JSON.stringify({ encrypt: sealed }),
  });
  checkStatus(result);
  const text = result.text.trim();
  if (text === '' || text === 'success') return { reply: undefined, ms: result.ms };
  return { reply: openEnvelope(parseEnvelope(result.text), creds, nonce), ms: result.ms };
}
