import express, { type Request, type Response, Router } from 'express';
import type { Logger } from 'pino';
import type { WecomAppConfig } from '../../config';
import { CryptoError } from '../../crypto/cryptoError';
import { openMessage } from '../../crypto/messageCipher';
import { verifySignature } from '../../crypto/signature';
import { errorFields } from '../../logger';
import { AppCallbackParseError, parseAppCallback } from '../../services/wecomApp/callbackFormat';
import { EnvelopeError, parseEnvelope } from '../../services/wecom/envelope';
import type { OaChanges } from '../services/oaChanges';
import { fail, handle, jsonErrors } from './jsonRoutes';

export const APP_CALLBACK_PATH = '/wecom/app/callback';

/** Thrown for what the caller got wrong; its status is the answer. */
class Refused extends Error {
  constructor(
    readonly status: 400 | 401,
    message: string,
  ) {
    super(message);
  }
}

function param(req: Request, name: string): string {
  const value = req.query[name];
  if (typeof value !== 'string' || value === '') throw new Refused(400, `${name} is required`);
  return value;
}

/** Signature over (token, timestamp, nonce, encrypt), then decryption with receiveid = the corp id (protocol §2, §13). */
function opened(app: WecomAppConfig, req: Request, encrypt: string): string {
  const [signature, timestamp, nonce] = ['msg_signature', 'timestamp', 'nonce'].map((n) => param(req, n)) as [
    string,
    string,
    string,
  ];
  if (!verifySignature(app.token, timestamp, nonce, encrypt, signature))
    throw new Refused(401, 'signature does not match');
  try {
    return openMessage(app.aesKey, encrypt, app.corpId);
  } catch (err) {
    if (err instanceof CryptoError) throw new Refused(400, 'the message does not decrypt');
    throw err;
  }
}

function refusedOr(res: Response, err: unknown): void {
  if (err instanceof Refused) return fail(res, err.status, err.message);
  if (err instanceof EnvelopeError || err instanceof AppCallbackParseError) return fail(res, 400, err.message);
  throw err;
}

/**
 * The self-built app's callback URL (API 接收消息, issue #16): GET is the URL verification — the
 * decrypted echostr answered byte-exact as text (protocol §3, §13: it ends with the corp id) — and POST
 * the encrypted XML callbacks, of which `sys_approval_change` is applied (oaChanges.ts). Wrong signature
 * → 401, malformed → 400, everything else "success" at once: WeCom retries what it thinks failed, and a
 * change the store could not take is healed by the poll.
 */
export function wecomAppCallback(deps: {
  readonly app: WecomAppConfig;
  readonly changes: OaChanges;
  readonly logger: Logger;
}): Router {
  const { app, changes, logger } = deps;
  const router = Router();
  router.get(
    APP_CALLBACK_PATH,
    handle(logger, async (req, res) => {
      try {
        const plaintext = opened(app, req, param(req, 'echostr'));
        res.status(200).type('text/plain').send(plaintext);
      } catch (err) {
        refusedOr(res, err);
      }
    }),
  );
  router.post(
    APP_CALLBACK_PATH,
    express.text({ type: () => true, limit: '1mb' }),
    handle(logger, async (req, res) => {
      let event;
      try {
        const body = typeof req.body === 'string' ? req.body : '';
        event = parseAppCallback(opened(app, req, parseEnvelope(body).encrypt));
      } catch (err) {
        return refusedOr(res, err);
      }
      if (event.kind === 'approval_change') {
        await changes.apply(event.state, 'callback').catch((err: unknown) => {
          logger.error({ spNo: event.state.spNo, err: errorFields(err) }, 'WeCom approval change not applied');
        });
      } else logger.debug({ msgType: event.msgType, event: event.event }, 'WeCom app callback ignored');
      res.status(200).type('text/plain').send('success');
    }),
  );
  router.use(APP_CALLBACK_PATH, jsonErrors(logger));
  return router;
}
