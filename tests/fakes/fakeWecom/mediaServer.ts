/**
 * Stand-in for the COS bucket behind inbound image/file/video URLs of WeCom AI bots
 * (wecom-aibot-protocol.md §5.4–§5.7, §10): a GET without auth, valid 5 minutes, whose body is
 * the whole file AES-256-CBC encrypted with the bot's key (no random/length prefix, no
 * base64), and whose Content-Disposition carries the file name. The cipher is written here
 * with node:crypto so the fake stays independent of app/.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { listenLocal, sendBody } from '../shared/localServer';

export interface ServeMediaOptions {
  plain: Buffer;
  /** The bot's 43-character EncodingAESKey (§2.1). */
  encodingAesKey: string;
  /** Sent as `Content-Disposition: attachment; filename="…"; filename*=UTF-8''…` (§5.7). */
  fileName?: string;
  /** Default `application/octet-stream`. */
  contentType?: string;
  /** The 5-minute URL has run out: 403 with COS's `AccessDenied` / `Request has expired` XML. */
  expired?: boolean;
  /** Force this status (with a short COS-style XML error body). */
  status?: number;
  /** Wait this long before answering (to test download timeouts). */
  delayMs?: number;
}

export interface MediaHit {
  /** Pathname of the request, e.g. `/ww-aibot-img/<id>` (no query). */
  path: string;
  at: number;
}

export interface MediaServer {
  /** Registers a file; returns its URL `http://127.0.0.1:PORT/ww-aibot-img/<id>?sign=…`. */
  serve(opts: ServeMediaOptions): string;
  /** Every request, in order, including 403/404 ones. */
  readonly hits: MediaHit[];
  close(): Promise<void>;
}

/** PKCS#7 with a 32-byte block (§2.1): pad 1..32, a full block when already aligned. */
function pkcs7Pad32(plain: Buffer): Buffer {
  const pad = 32 - (plain.length % 32);
  return Buffer.concat([plain, Buffer.alloc(pad, pad)]);
}

/** §10: key = base64(EncodingAESKey + '='), IV = key[0..16), PKCS#7/32, no framing. */
export function encryptWecomMedia(plain: Buffer, encodingAesKey: string): Buffer {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) throw new Error(`EncodingAESKey must decode to 32 bytes, got ${key.length}`);
  // Node's own padding is 16-byte PKCS#7; WeCom pads to 32, so pad by hand (§2.4 pitfall).
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(pkcs7Pad32(plain)), cipher.final()]);
}

interface MediaEntry {
  sign: string;
  body: Buffer;
  opts: ServeMediaOptions;
}

/** COS error documents are XML (`<Error><Code>…`), served as application/xml. */
function sendCosError(res: ServerResponse, status: number, code: string, message: string, resource: string): void {
  const xml = [
    "<?xml version='1.0' encoding='utf-8' ?>",
    '<Error>',
    `\t<Code>${code}</Code>`,
    `\t<Message>${message}</Message>`,
    `\t<Resource>${resource}</Resource>`,
    `\t<RequestId>${randomBytes(18).toString('base64')}</RequestId>`,
    '</Error>',
  ].join('\n');
  sendBody(res, status, xml, { 'Content-Type': 'application/xml' });
}

/**
 * `filename="…"` carries the name as raw UTF-8 bytes (Node writes header strings as latin1,
 * so the UTF-8 bytes are re-read as latin1 here); clients decoding headers as latin1 see
 * mojibake there and must prefer `filename*`, as the official SDK does (§5.7).
 */
function contentDisposition(name: string): string {
  const quoted = Buffer.from(name.replace(/["\\]/g, '\\$&'), 'utf8').toString('latin1');
  return `attachment; filename="${quoted}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

function answer(entry: MediaEntry | undefined, url: URL, res: ServerResponse): void {
  if (res.destroyed) return; // the client gave up (or close() ran) during delayMs
  if (!entry) return sendCosError(res, 404, 'NoSuchKey', 'The specified key does not exist.', url.pathname);
  if (url.searchParams.get('sign') !== entry.sign) {
    return sendCosError(res, 403, 'SignatureDoesNotMatch', 'The Signature you specified is invalid.', url.pathname);
  }
  const { opts } = entry;
  if (opts.expired) return sendCosError(res, 403, 'AccessDenied', 'Request has expired', url.pathname);
  if (opts.status !== undefined && opts.status !== 200) {
    return sendCosError(res, opts.status, 'InternalError', `forced status ${opts.status}`, url.pathname);
  }
  const headers: Record<string, string | number> = {
    'Content-Type': opts.contentType ?? 'application/octet-stream',
    'Content-Length': entry.body.length,
  };
  // setHeader, not writeHead's object: Node 20's writeHead rejects bytes ≥ 0x80 there. The
  // body must stay a Buffer so Node writes the header block as latin1 (a string body would
  // make it re-encode the header as UTF-8).
  if (opts.fileName !== undefined) res.setHeader('Content-Disposition', contentDisposition(opts.fileName));
  res.writeHead(200, headers);
  res.end(entry.body);
}

export async function startMediaServer(): Promise<MediaServer> {
  const entries = new Map<string, MediaEntry>();
  const hits: MediaHit[] = [];
  const local = await listenLocal((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    hits.push({ path: url.pathname, at: Date.now() });
    const entry = req.method === 'GET' ? entries.get(url.pathname) : undefined;
    const delay = entry?.opts.delayMs ?? 0;
    if (delay > 0) setTimeout(() => answer(entry, url, res), delay);
    else answer(entry, url, res);
  });
  const serve = (opts: ServeMediaOptions): string => {
    const id = randomBytes(16).toString('hex');
    // Shaped like the q-sign query of a COS pre-signed URL with a 300 s window (§5.4); the
    // client must pass it back untouched (it is compared exactly).
    const now = Math.floor(Date.now() / 1000);
    const signature = randomBytes(20).toString('hex');
    const sign = `q-sign-algorithm=sha1&q-ak=FAKE&q-sign-time=${now};${now + 300}&q-signature=${signature}`;
    entries.set(`/ww-aibot-img/${id}`, { sign, body: encryptWecomMedia(opts.plain, opts.encodingAesKey), opts });
    return `${local.origin}/ww-aibot-img/${id}?sign=${encodeURIComponent(sign)}`;
  };
  return { serve, hits, close: () => local.close() };
}
