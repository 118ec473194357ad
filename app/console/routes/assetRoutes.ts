import { createHash } from 'node:crypto';
import { Router } from 'express';
import { CONSOLE_CSS } from '../assets/consoleCss';
import { REQUESTS_JS } from '../assets/consoleJs';

/**
 * /console/assets/*: the stylesheet and the one script, shipped inside the build (TypeScript modules that
 * hold their text, so `tsc` alone puts them in dist/ and nothing is fetched from anywhere at run time).
 */
const ASSETS: ReadonlyMap<string, { type: string; body: string }> = new Map([
  ['console.css', { type: 'text/css; charset=utf-8', body: CONSOLE_CSS }],
  ['requests.js', { type: 'text/javascript; charset=utf-8', body: REQUESTS_JS }],
]);

export function assetRoutes(): Router {
  const router = Router();
  const etags = new Map(
    [...ASSETS].map(([name, a]) => [name, `"${createHash('sha256').update(a.body).digest('base64url').slice(0, 16)}"`]),
  );
  router.get('/assets/:name', (req, res, next) => {
    const name = String(req.params['name']);
    const asset = ASSETS.get(name);
    if (asset === undefined) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('ETag', etags.get(name) ?? '');
    if (req.get('if-none-match') === etags.get(name)) return void res.status(304).end();
    res.type(asset.type).send(asset.body);
  });
  return router;
}
