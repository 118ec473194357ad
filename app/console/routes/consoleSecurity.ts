import type { Request, RequestHandler, Response } from 'express';

/**
 * No inline script or style, nothing from another origin, never framed (issue #17). The inline SVG
 * chart uses presentation attributes only, which style-src does not govern.
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Cache-Control', 'no-store');
  next();
};

/** Whether the browser reached us over https (directly, or through a proxy that says so). */
export function overHttps(req: Request): boolean {
  const forwarded = req.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return req.protocol === 'https' || forwarded === 'https';
}

/**
 * CSRF evidence for a POST: the browser's Origin must be this host, or (no Origin) Sec-Fetch-Site must say
 * same-origin. A POST with neither is refused: every browser that runs the console sends one of them, and
 * the SameSite=Strict cookie is the second wall.
 */
export function sameOrigin(req: Request): boolean {
  const origin = req.get('origin');
  if (origin !== undefined && origin !== 'null') {
    let from: string;
    try {
      from = new URL(origin).host;
    } catch {
      return false;
    }
    // Behind a proxy that rewrites Host, X-Forwarded-Host is the host the browser used. A cross-site form
    // cannot set either header, so both are safe to compare with.
    const forwarded = req.get('x-forwarded-host')?.split(',')[0]?.trim();
    return from === req.get('host') || (forwarded !== undefined && from === forwarded);
  }
  return req.get('sec-fetch-site') === 'same-origin';
}

export function refuseCrossSite(text: string): RequestHandler {
  return (req, res: Response, next) => {
    if (req.method !== 'POST' || sameOrigin(req)) return next();
    res.status(403).type('text/plain; charset=utf-8').send(text);
  };
}
