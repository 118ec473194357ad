import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { openMessage } from '../../app/crypto/messageCipher';
import { verifySignature } from '../../app/crypto/signature';
import { DEFAULT_TEXTS } from '../../app/config/texts';
import { parseEnvelope, sealReply, type ReplyCredentials } from '../../app/services/wecom/envelope';
import { streamReplyJson, type StreamFrame } from '../../app/services/wecom/reply';
import { BodyError, readBody, sendJson } from '../shared/http';
import type { DifyStreams } from './difyStreams';

/**
 * The gateway's hot path with nothing else: raw body → envelope → signature → decrypt → JSON →
 * sealed stream reply (wecom-aibot-protocol.md §2, §4, §6.2), using the gateway's own crypto so
 * the crypto cost is identical. Shared by the node:http and Express variants.
 */

const MAX_BODY_BYTES = 1024 * 1024;
/** Every poll answers a 1 KB snapshot: a typical mid-answer reply size. */
const POLL_CONTENT = 'x'.repeat(1024);

export interface SignedQuery {
  readonly signature: string;
  readonly timestamp: string;
  readonly nonce: string;
}

export interface BareContext {
  readonly creds: ReplyCredentials;
  readonly dify: DifyStreams;
}

/** Takes the already-decoded query values; undefined when one of the three is missing or empty. */
export function signedQuery(get: (name: string) => unknown): SignedQuery | undefined {
  const signature = get('msg_signature');
  const timestamp = get('timestamp');
  const nonce = get('nonce');
  const ok = (v: unknown): v is string => typeof v === 'string' && v !== '';
  return ok(signature) && ok(timestamp) && ok(nonce) ? { signature, timestamp, nonce } : undefined;
}

function endStatus(res: ServerResponse, status: number): void {
  res.statusCode = status;
  res.end();
}

/** Plaintext payload, or the HTTP status the gateway would answer for this failure. */
function openCallback(creds: ReplyCredentials, query: SignedQuery, body: string): number | { payload: unknown } {
  let encrypt: string;
  try {
    encrypt = parseEnvelope(body).encrypt;
  } catch {
    return 400;
  }
  if (!verifySignature(creds.token, query.timestamp, query.nonce, encrypt, query.signature)) return 401;
  try {
    return { payload: JSON.parse(openMessage(creds.aesKey, encrypt, creds.receiveId)) as unknown };
  } catch {
    return 400;
  }
}

function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path)
    current = typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[key] : undefined;
  return current;
}

/** A poll gets the fixed snapshot; anything else is a user message that starts a Dify run. */
function frameFor(ctx: BareContext, payload: unknown): StreamFrame | undefined {
  if (field(payload, 'msgtype') === 'stream') {
    const id = field(payload, 'stream', 'id');
    return typeof id === 'string' && id !== '' ? { id, finish: false, content: POLL_CONTENT } : undefined;
  }
  const text = field(payload, 'text', 'content');
  const user = field(payload, 'from', 'userid');
  // Same id shape as the gateway's callbackService.
  const id = `s_${randomBytes(12).toString('base64url')}`;
  ctx.dify.start(
    id,
    typeof text === 'string' && text !== '' ? text : 'quick',
    typeof user === 'string' ? user : 'bench',
  );
  return { id, finish: false, content: DEFAULT_TEXTS.THINKING };
}

function answer(ctx: BareContext, res: ServerResponse, query: SignedQuery, body: string): void {
  const opened = openCallback(ctx.creds, query, body);
  if (typeof opened === 'number') return endStatus(res, opened);
  const frame = frameFor(ctx, opened.payload);
  if (frame === undefined) return endStatus(res, 400);
  const sealed = sealReply(ctx.creds, streamReplyJson(frame), query.timestamp, query.nonce);
  // The gateway answers the JSON envelope as text/plain, like the official demo (§4.2).
  res.statusCode = 200;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(JSON.stringify(sealed));
}

export function handleCallback(
  ctx: BareContext,
  req: IncomingMessage,
  res: ServerResponse,
  query: SignedQuery | undefined,
): void {
  if (query === undefined) return endStatus(res, 400);
  readBody(req, MAX_BODY_BYTES).then(
    (body) => {
      try {
        answer(ctx, res, query, body);
      } catch {
        endStatus(res, 500);
      }
    },
    (err: unknown) => endStatus(res, err instanceof BodyError ? err.status : 400),
  );
}

/** /healthz also reports the Dify side, so the bench can check that streams really are open. */
export function handleHealth(ctx: BareContext, res: ServerResponse): void {
  sendJson(res, 200, { ok: true, dify: ctx.dify.stats() });
}

export function handleMemory(res: ServerResponse): void {
  sendJson(res, 200, process.memoryUsage());
}
