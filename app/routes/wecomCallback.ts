import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { CryptoError } from '../crypto/cryptoError';
import { openMessage } from '../crypto/messageCipher';
import { verifySignature } from '../crypto/signature';
import type { BotConfig, Config } from '../config';
import type { GatewayMetrics } from '../metrics';
import { GatewayError } from '../errors';
import type { CallbackReply, CallbackService } from '../services/intake/callbackService';
import { EnvelopeError, parseEnvelope, sealReply } from '../services/wecom/envelope';
import { InboundParseError, parseInbound } from '../services/wecom/inbound';
import { streamReplyJson } from '../services/wecom/reply';
import { readRawBody } from './rawBody';
import { sendGatewayError } from './errorHandler';

export interface CallbackRouteDeps {
  readonly config: Config;
  readonly callbacks: CallbackService;
  readonly logger: Logger;
  readonly metrics?: GatewayMetrics;
}

interface SignedQuery {
  readonly signature: string;
  readonly timestamp: string;
  readonly nonce: string;
}

/** The parts of the request line the callback needs; the query is URL-decoded once, here (§3). */
interface CallbackTarget {
  readonly botKey: string | undefined;
  readonly query: URLSearchParams;
}

const CALLBACK_PATH = /^\/wecom\/callback(?:\/([A-Za-z0-9_.-]{1,64}))?\/?$/;

/** Undefined when the path is not a callback path (the request then goes to the Express app). */
export function callbackTarget(url: string | undefined): CallbackTarget | undefined {
  if (url === undefined) return undefined;
  const q = url.indexOf('?');
  const match = CALLBACK_PATH.exec(q === -1 ? url : url.slice(0, q));
  if (match === null) return undefined;
  return { botKey: match[1], query: new URLSearchParams(q === -1 ? '' : url.slice(q + 1)) };
}

function queryString(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  return value === null || value === '' ? undefined : value;
}

function signedQuery(query: URLSearchParams): SignedQuery {
  const signature = queryString(query, 'msg_signature');
  const timestamp = queryString(query, 'timestamp');
  const nonce = queryString(query, 'nonce');
  if (signature === undefined || timestamp === undefined || nonce === undefined) {
    throw new GatewayError('QUERY_INVALID', 'msg_signature, timestamp and nonce are required');
  }
  return { signature, timestamp, nonce };
}

function resolveBot(config: Config, botKey: string | undefined): BotConfig {
  const bot = (botKey !== undefined ? config.bots.byKey.get(botKey) : undefined) ?? config.bots.fallback;
  if (bot === undefined) throw new GatewayError('BOT_NOT_FOUND', 'no bot configured for this path');
  return bot;
}

/** Signature, then decryption with the bot's receiveid (§2.2, §2.4); both are the caller's mistakes when they fail. */
function openVerified(bot: BotConfig, query: SignedQuery, encrypt: string): string {
  if (!verifySignature(bot.token, query.timestamp, query.nonce, encrypt, query.signature)) {
    throw new GatewayError('SIGNATURE_INVALID', 'signature does not match');
  }
  try {
    return openMessage(bot.aesKey, encrypt, bot.receiveId);
  } catch (err) {
    if (err instanceof CryptoError) throw new GatewayError('DECRYPT_FAILED', err.message, { cause: err });
    throw err;
  }
}

/** GET: URL verification. The answer is the decrypted echostr, byte-exact, as text/plain (§3). */
function verifyUrl(deps: CallbackRouteDeps, target: CallbackTarget, res: ServerResponse): void {
  const bot = resolveBot(deps.config, target.botKey);
  const query = signedQuery(target.query);
  const echostr = queryString(target.query, 'echostr');
  if (echostr === undefined) throw new GatewayError('QUERY_INVALID', 'echostr is required');
  const plain = openVerified(bot, query, echostr);
  deps.logger.info({ bot: bot.key }, 'URL verification answered');
  deps.metrics?.countCallback('verify', 'ok');
  res
    .writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(plain) })
    .end(plain);
}

function writeReply(res: ServerResponse, bot: BotConfig, query: SignedQuery, reply: CallbackReply): void {
  if (reply.kind === 'empty') {
    res.writeHead(200, { 'Content-Length': '0' }).end();
    return;
  }
  const plaintext = reply.kind === 'plaintext' ? reply.json : streamReplyJson(reply.frame);
  const body = JSON.stringify(sealReply(bot, plaintext, query.timestamp, query.nonce));
  // The official demo answers the JSON envelope as text/plain (§4.2).
  res
    .writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) })
    .end(body);
}

/** POST: verify → decrypt → parse once → dispatch → encrypted reply reusing the callback's nonce (§4). */
async function receiveCallback(
  deps: CallbackRouteDeps,
  target: CallbackTarget,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const started = process.hrtime.bigint();
  const bot = resolveBot(deps.config, target.botKey);
  const query = signedQuery(target.query);
  const body = await readRawBody(req);
  let encrypt: string;
  try {
    encrypt = parseEnvelope(body).encrypt;
  } catch (err) {
    if (err instanceof EnvelopeError) throw new GatewayError('BODY_MALFORMED', err.message, { cause: err });
    throw err;
  }
  const plaintext = openVerified(bot, query, encrypt);
  let inbound;
  try {
    inbound = parseInbound(plaintext);
  } catch (err) {
    if (err instanceof InboundParseError) throw new GatewayError('PAYLOAD_INVALID', err.message, { cause: err });
    throw err;
  }
  const reply = await deps.callbacks.handle(bot, inbound);
  writeReply(res, bot, query, reply);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  countCallback(deps.metrics, inbound.msgtype, 'ok', ms);
  const stream = reply.kind === 'stream' ? reply.frame : undefined;
  const fields = {
    bot: bot.key,
    msgtype: inbound.msgtype,
    msgid: 'msgid' in inbound ? inbound.msgid : undefined,
    stream: stream?.id,
    finish: stream?.finish,
    reply: reply.kind,
    ms,
  };
  // Polls arrive about once a second per open stream; they are logged at debug to keep info readable.
  if (inbound.msgtype === 'stream') deps.logger.debug(fields, 'poll answered');
  else deps.logger.info(fields, 'callback answered');
}

/** Polls and first replies have their own latency histograms: they are what WeCom waits on. */
function countCallback(metrics: GatewayMetrics | undefined, type: string, outcome: string, ms: number): void {
  if (metrics === undefined) return;
  metrics.countCallback(type, outcome);
  if (type === 'stream') metrics.poll.observe(ms / 1000);
  else if (type !== 'event' && type !== 'unsupported') metrics.firstReply.observe(ms / 1000);
}

/**
 * The callback endpoint on plain node:http: every message and every poll (about one a second per
 * open stream) runs here, so it skips the web framework's routing and response helpers. Answers
 * GET (URL verification) and POST; other methods get 404 like an unknown route.
 */
export async function handleCallback(
  deps: CallbackRouteDeps,
  target: CallbackTarget,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    if (req.method === 'POST') await receiveCallback(deps, target, req, res);
    else if (req.method === 'GET') verifyUrl(deps, target, res);
    else throw new GatewayError('NOT_FOUND', 'no such route');
  } catch (err) {
    deps.metrics?.countCallback(
      req.method === 'GET' ? 'verify' : 'unknown',
      err instanceof GatewayError ? err.code : 'INTERNAL',
    );
    sendGatewayError(deps.logger, req, res, err);
  }
}
