/**
 * WeCom-side crypto for the fake client, built ONLY on `@wecom/crypto` so that it is an
 * independent oracle of the gateway's own crypto (wecom-aibot-protocol.md §2, §14.4).
 */
import { decrypt, encrypt, getSignature } from '@wecom/crypto';

export interface WecomKeys {
  token: string;
  encodingAesKey: string;
  /** `""` for AI bots (§2.3). */
  receiveId: string;
}

export interface SealedMessage {
  encrypt: string;
  signature: string;
}

/** Encrypts a plaintext the way WeCom does for callbacks and echostr (§2.5). */
export function seal(keys: WecomKeys, plaintext: string, timestamp: string, nonce: string): SealedMessage {
  const sealed = encrypt(keys.encodingAesKey, plaintext, keys.receiveId);
  return { encrypt: sealed, signature: getSignature(keys.token, timestamp, nonce, sealed) };
}

/** Same length, one hex digit changed: a signature that must fail verification (§14.3). */
export function tamper(signature: string): string {
  const last = signature.slice(-1);
  return signature.slice(0, -1) + (last === '0' ? '1' : '0');
}

/**
 * Checks a passive reply envelope (§4.2) and returns its decrypted plaintext. Throws when
 * `msgsignature` does not verify over (token, timestamp, nonce, encrypt), when `nonce` is not
 * the callback's nonce, or when the plaintext's receiveid is not ours (§2.4 step 5).
 */
export function openReply(keys: WecomKeys, envelope: Record<string, unknown>, requestNonce: string): string {
  const { encrypt: sealed, msgsignature, timestamp, nonce } = envelope;
  if (typeof sealed !== 'string') throw new Error('reply envelope has no "encrypt" string');
  const expected = getSignature(keys.token, String(timestamp), String(nonce), sealed);
  if (msgsignature !== expected) {
    throw new Error(`reply msgsignature ${String(msgsignature)} does not verify (expected ${expected})`);
  }
  if (String(nonce) !== requestNonce) {
    throw new Error(`reply nonce ${String(nonce)} is not the callback nonce ${requestNonce} (§4.2)`);
  }
  let opened: { message: string; id: string };
  try {
    opened = decrypt(keys.encodingAesKey, sealed);
  } catch (err) {
    throw new Error(`reply "encrypt" does not decrypt: ${String(err)}`, { cause: err });
  }
  if (opened.id !== keys.receiveId) {
    throw new Error(`reply receiveid ${JSON.stringify(opened.id)} is not ${JSON.stringify(keys.receiveId)} (§2.3)`);
  }
  return opened.message;
}
