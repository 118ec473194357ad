import { type Request, type Response, Router } from 'express';
import type { Logger } from 'pino';
import { CryptoError } from '../crypto/cryptoError';
import { openMessage } from '../crypto/messageCipher';
import { verifySignature } from '../crypto/signature';
import type { BotConfig, Config } from '../config';
import { GatewayError } from '../errors';
import type { CallbackReply, CallbackService } from '../services/callbackService';
import { EnvelopeError, parseEnvelope, sealReply } from '../services/wecom/envelope';
import { InboundParseError, parseInbound } from '../services/wecom/inbound';
import { streamReplyJson } from '../services/wecom/reply';
import { readRawBody } from './rawBody';

export interface CallbackRouteDeps {
  readonly config: Config;
  readonly callbacks: CallbackService;
  readonly logger: Logger;
}

interface SignedQuery {
  readonly signature: string;
  readonly timestamp: string;
  readonly nonce: string;
}

function queryString(req: Request, name: string): string | undefined {
  const value = req.query[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Express has already URL-decoded the query; it must not be decoded twice (wecom-aibot-protocol.md §3). */
function signedQuery(req: Request): SignedQuery {
  const signature = queryString(req, 'msg_signature');
  const timestamp = queryString(req, 'timestamp');
  const nonce = queryString(req, 'nonce');
  if (signature === undefined || timestamp === undefined || nonce === undefined) {
    throw new GatewayError('QUERY_INVALID', 'msg_signature, timestamp and nonce are required');
  }
  return { signature, timestamp, nonce };
}

function botKeyOf(req: Request): string | undefined {
  const value: unknown = req.params['botid'];
  return typeof value === 'string' ? value : undefined;
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
function verifyUrl(deps: CallbackRouteDeps, req: Request, res: Response): void {
  const bot = resolveBot(deps.config, botKeyOf(req));
  const query = signedQuery(req);
  const echostr = queryString(req, 'echostr');
  if (echostr === undefined) throw new GatewayError('QUERY_INVALID', 'echostr is required');
  const plain = openVerified(bot, query, echostr);
  deps.logger.info({ bot: bot.key }, 'URL verification answered');
  res.status(200).type('text/plain').send(plain);
}

function writeReply(res: Response, bot: BotConfig, query: SignedQuery, reply: CallbackReply): void {
  if (reply.kind === 'empty') {
    res.status(200).end();
    return;
  }
  const sealed = sealReply(bot, streamReplyJson(reply.frame), query.timestamp, query.nonce);
  // The official demo answers the JSON envelope as text/plain (§4.2).
  res.status(200).setHeader('Content-Type', 'text/plain; charset=utf-8').end(JSON.stringify(sealed));
}

/** POST: verify → decrypt → parse once → dispatch → encrypted reply reusing the callback's nonce (§4). */
async function receiveCallback(deps: CallbackRouteDeps, req: Request, res: Response): Promise<void> {
  const started = process.hrtime.bigint();
  const bot = resolveBot(deps.config, botKeyOf(req));
  const query = signedQuery(req);
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
  const fields = { bot: bot.key, msgtype: inbound.msgtype, msgid: 'msgid' in inbound ? inbound.msgid : undefined, stream: reply.kind === 'stream' ? reply.frame.id : undefined, finish: reply.kind === 'stream' ? reply.frame.finish : undefined, ms };
  // Polls arrive about once a second per open stream; they are logged at debug to keep info readable.
  if (inbound.msgtype === 'stream') deps.logger.debug(fields, 'poll answered');
  else deps.logger.info(fields, 'callback answered');
}

export function wecomCallbackRouter(deps: CallbackRouteDeps): Router {
  const router = Router();
  router.get(['/wecom/callback', '/wecom/callback/:botid'], (req, res) => verifyUrl(deps, req, res));
  router.post(['/wecom/callback', '/wecom/callback/:botid'], (req, res) => receiveCallback(deps, req, res));
  return router;
}
