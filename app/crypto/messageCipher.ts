import { randomBytes } from 'node:crypto';
import { CryptoError } from './cryptoError';
import { decryptMedia, encryptMedia } from './mediaCipher';

/** Plaintext frame: random(16) | uint32BE msg_len | msg | receiveId (wecom-aibot-protocol.md §2.3). */
const RANDOM_BYTES = 16;
const LENGTH_BYTES = 4;
const HEADER_BYTES = RANDOM_BYTES + LENGTH_BYTES;

export interface DecryptedMessage {
  message: string;
  receiveId: string;
  random: Buffer;
}

/**
 * base64 → AES-256-CBC (32-byte PKCS#7) → frame (§2.4 steps 1–4). The receiveId is returned,
 * not checked; use openMessage for the checked path.
 */
export function decryptMessage(aesKey: Buffer, encrypt: string): DecryptedMessage {
  const frame = decryptMedia(aesKey, decodeStrictBase64(encrypt));
  if (frame.length < HEADER_BYTES) {
    throw new CryptoError(
      'BAD_FRAME',
      `WeCom decrypt: plaintext of ${frame.length} bytes is shorter than the frame header`,
    );
  }
  const messageLength = frame.readUInt32BE(RANDOM_BYTES);
  if (messageLength > frame.length - HEADER_BYTES) {
    throw new CryptoError(
      'BAD_FRAME',
      `WeCom decrypt: msg_len ${messageLength} exceeds the ${frame.length - HEADER_BYTES} bytes available`,
    );
  }
  // §15.2: msg_len counts bytes, so slice the Buffer first and decode UTF-8 afterwards.
  const messageEnd = HEADER_BYTES + messageLength;
  return {
    message: frame.toString('utf8', HEADER_BYTES, messageEnd),
    receiveId: frame.toString('utf8', messageEnd),
    random: Buffer.from(frame.subarray(0, RANDOM_BYTES)),
  };
}

/**
 * Decrypt and require the expected receiveId: "" for the AI bot, the CorpID for classic
 * callbacks (§2.3, §2.4 step 5, §15.3). Returns the message only.
 */
export function openMessage(aesKey: Buffer, encrypt: string, expectedReceiveId: string): string {
  const { message, receiveId } = decryptMessage(aesKey, encrypt);
  if (receiveId !== expectedReceiveId) {
    // Lengths only: receive ids are not secret, but the mismatching value may be attacker-chosen garbage.
    throw new CryptoError(
      'RECEIVE_ID_MISMATCH',
      `WeCom decrypt: receiveId mismatch (got ${receiveId.length} characters, expected ${expectedReceiveId.length})`,
    );
  }
  return message;
}

/** §2.5 steps 1–2: frame with byte-length msg_len, 32-byte PKCS#7, AES-256-CBC, base64. */
export function encryptMessage(
  aesKey: Buffer,
  message: string,
  receiveId: string,
  random: Buffer = randomBytes(RANDOM_BYTES),
): string {
  if (random.length !== RANDOM_BYTES) {
    throw new CryptoError('BAD_FRAME', `WeCom encrypt: random must be ${RANDOM_BYTES} bytes (got ${random.length})`);
  }
  const messageBytes = Buffer.from(message, 'utf8');
  const receiveIdBytes = Buffer.from(receiveId, 'utf8');
  const frame = Buffer.allocUnsafe(HEADER_BYTES + messageBytes.length + receiveIdBytes.length);
  random.copy(frame, 0);
  frame.writeUInt32BE(messageBytes.length, RANDOM_BYTES);
  messageBytes.copy(frame, HEADER_BYTES);
  receiveIdBytes.copy(frame, HEADER_BYTES + messageBytes.length);
  return encryptMedia(aesKey, frame).toString('base64');
}

/**
 * §2.4 step 1: standard alphabet with '=' padding. Node's decoder silently skips invalid
 * characters and accepts missing padding, so the input must re-encode to itself; this also
 * rejects non-canonical trailing bits.
 */
function decodeStrictBase64(encrypt: string): Buffer {
  const bytes = Buffer.from(encrypt, 'base64');
  if (bytes.toString('base64') !== encrypt) {
    throw new CryptoError(
      'BASE64_INVALID',
      `WeCom decrypt: ciphertext of ${encrypt.length} characters is not canonical base64`,
    );
  }
  return bytes;
}
