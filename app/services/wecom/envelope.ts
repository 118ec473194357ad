import { XMLParser } from 'fast-xml-parser';
import { computeSignature } from '../../crypto/signature';
import { encryptMessage } from '../../crypto/messageCipher';

/**
 * The only reader of the raw callback body. WeCom's POST content type is undocumented
 * (wecom-aibot-protocol.md §4.1, §15.21), so the body arrives as text and the shape is
 * detected here: JSON for the AI bot, XML (or its JSON flavour) for classic callbacks (§13).
 */

export type EnvelopeErrorCode = 'BODY_MALFORMED';

/** Messages describe the shape problem only; the body itself is never echoed. */
export class EnvelopeError extends Error {
  readonly code: EnvelopeErrorCode = 'BODY_MALFORMED';

  constructor(message: string) {
    super(message);
    this.name = 'EnvelopeError';
  }
}

export interface ParsedEnvelope {
  encrypt: string;
  format: 'json' | 'xml';
}

export interface ReplyCredentials {
  token: string;
  aesKey: Buffer;
  receiveId: string;
}

/** Passive reply body (§4.2); note `msgsignature` has no underscore (§15.5). */
export interface SealedReply {
  encrypt: string;
  msgsignature: string;
  timestamp: number | string;
  nonce: string;
}

// parseTagValue:false keeps digit-only values as strings; CDATA merges into the text value
// because cdataPropName stays unset. Entity processing keeps the library's bounded defaults.
const xmlParser = new XMLParser({ parseTagValue: false, ignoreAttributes: true });

export function parseEnvelope(body: string): ParsedEnvelope {
  // trimStart also drops a UTF-8 BOM, which JSON.parse would otherwise reject.
  const text = body.trimStart();
  const first = text.charAt(0);
  if (first === '{') return { encrypt: readEncrypt(parseJsonObject(text), 'JSON'), format: 'json' };
  if (first === '<') return { encrypt: readEncrypt(parseXmlRoot(text), 'XML'), format: 'xml' };
  if (first === '') throw new EnvelopeError('WeCom envelope: body is empty');
  throw new EnvelopeError('WeCom envelope: body is neither JSON nor XML');
}

function parseJsonObject(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new EnvelopeError('WeCom envelope: body is not valid JSON');
  }
  if (!isRecord(parsed)) throw new EnvelopeError('WeCom envelope: JSON body is not an object');
  return parsed;
}

/** Classic XML callback: <xml><ToUserName/><AgentID/><Encrypt/></xml> (§13). */
function parseXmlRoot(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    // `true` runs the validator first, so malformed XML fails instead of parsing partially.
    parsed = xmlParser.parse(text, true);
  } catch {
    throw new EnvelopeError('WeCom envelope: body is not valid XML');
  }
  const root = isRecord(parsed) ? parsed['xml'] : undefined;
  if (!isRecord(root)) throw new EnvelopeError('WeCom envelope: XML body has no <xml> element with children');
  return root;
}

/**
 * AI bot JSON uses `encrypt`; the JSON flavour of the classic callback uses `Encrypt`
 * (sbzhu sample) or `encrypt` (golang sample); XML uses <Encrypt> (§4.1, §13).
 */
function readEncrypt(fields: Record<string, unknown>, kind: 'JSON' | 'XML'): string {
  const value = fields['encrypt'] ?? fields['Encrypt'];
  if (typeof value !== 'string' || value === '') {
    throw new EnvelopeError(`WeCom envelope: ${kind} body has no non-empty string encrypt field`);
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Encrypts a passive reply and signs it (§2.5, §4.2). The signature covers the timestamp's
 * string form; the field is sent as a number when that string is a plain integer (the docs
 * show a number), otherwise as the string so signature and field can never disagree (§15.23).
 * `nonce` must be the callback's own nonce (§4.2).
 */
export function sealReply(
  creds: ReplyCredentials,
  plaintext: string,
  timestamp: string,
  nonce: string,
  random?: Buffer,
): SealedReply {
  const encrypt = encryptMessage(creds.aesKey, plaintext, creds.receiveId, random);
  const msgsignature = computeSignature(creds.token, timestamp, nonce, encrypt);
  return { encrypt, msgsignature, timestamp: timestampField(timestamp), nonce };
}

/** Only canonical integers become numbers: "0123" or out-of-range digits would not round-trip. */
function timestampField(timestamp: string): number | string {
  if (!/^(0|[1-9][0-9]*)$/.test(timestamp)) return timestamp;
  const asNumber = Number(timestamp);
  return Number.isSafeInteger(asNumber) ? asNumber : timestamp;
}
