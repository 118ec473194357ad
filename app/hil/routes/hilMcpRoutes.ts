import { timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import type { Logger } from 'pino';
import { detectFileType } from '../../services/media/fileType';
import { SendBodySchema } from '../services/hilMcpFormat';
import type { HilMcpSessions } from '../services/hilMcpSessions';
import { fail, handle, jsonErrors } from './jsonRoutes';
import { multipartFile } from './multipartFile';
import { parseBody } from './parseBody';

/** hil-mcp's upload limit is its server's memory; ours is explicit (a WeCom image is at most 10 MB too). */
export const UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024;
/** A send may carry uploaded images back as data URLs (hil.md §4.3): far more than the hub's 1 MB. */
const SEND_BODY_LIMIT = '40mb';

/**
 * hil-mcp's HIL-server API (hil.md §4.3) under `/hil/<HIL_MCP_PATH_TOKEN>`: its clients send no
 * credentials, so the path is the secret. Every endpoint answers at `<prefix>/api/<x>` and at
 * `<prefix>/api/api/<x>`, so `--service-url <prefix>` (hil-mcp 0.2.0 appends `/api`) and `<prefix>/api`
 * (hitl-mcp's TypeScript and Python 0.2.1 clients append paths directly) both work (hil-clients.md).
 * No token configured, or another token: 404, as for a path that does not exist.
 */
export function hilMcpRoutes(deps: {
  readonly logger: Logger;
  readonly token: string | undefined;
  readonly sessions: HilMcpSessions;
}): Router {
  const { logger, token, sessions } = deps;
  const api = apiRouter(logger, sessions);
  const inner = Router();
  inner.get('/health', health);
  inner.use('/api/api', api);
  inner.use('/api', api);
  inner.use((_req, res) => fail(res, 404, 'no such endpoint'));
  inner.use(jsonErrors(logger));
  const outer = Router();
  // A wrong token is answered here, not by the gateway's 404, whose warning would log the path (a near-miss secret).
  outer.use('/hil/:token', (req: Request<{ token: string }>, res: Response, next: NextFunction) => {
    if (token === undefined || !sameToken(req.params.token, token)) return fail(res, 404, 'not found');
    return inner(req, res, next);
  });
  return outer;
}

function apiRouter(logger: Logger, sessions: HilMcpSessions): Router {
  const api = Router();
  api.get('/health', health);
  api.post(
    '/send',
    express.json({ limit: SEND_BODY_LIMIT, type: () => true }),
    handle(logger, async (req, res) => {
      const body = parseBody(SendBodySchema, req, res);
      if (body !== undefined) res.status(200).json(await sessions.send(body));
    }),
  );
  api.get(
    '/poll/:id',
    handle(logger, async (req, res) => {
      res.status(200).json(await sessions.poll(String(req.params['id'])));
    }),
  );
  api.post(
    '/session/:id/timeout',
    handle(logger, async (req, res) => {
      res.status(200).json(await sessions.timeout(String(req.params['id'])));
    }),
  );
  api.post('/upload-image', express.raw({ limit: UPLOAD_LIMIT_BYTES + 64 * 1024, type: () => true }), (req, res) =>
    upload(req, res),
  );
  return api;
}

/** hil-mcp's HealthResponse; this server sends to WeCom itself, which hil-mcp calls `direct` mode. */
function health(_req: Request, res: Response): void {
  res.status(200).json({ status: 'healthy', mode: 'direct' });
}

/** Direct mode's upload (hil.md §4.3): the image back as a `data:` URL, its type read from its bytes. */
function upload(req: Request, res: Response): void {
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const file = multipartFile(body, req.headers['content-type'], 'file');
  if (!file.ok) return fail(res, 400, file.error);
  if (file.bytes.length > UPLOAD_LIMIT_BYTES) return fail(res, 413, 'image larger than 10 MB');
  const type = detectFileType(file.bytes);
  if (type.difyType !== 'image') return fail(res, 415, 'not an image (png, jpeg, gif, webp or bmp)');
  res.status(200).json({ success: true, image_url: `data:${type.mime};base64,${file.bytes.toString('base64')}` });
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
