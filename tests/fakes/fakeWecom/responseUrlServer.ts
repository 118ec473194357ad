/**
 * Stand-in for WeCom's response_url endpoint (wecom-aibot-protocol.md §9): a plain,
 * unencrypted JSON POST to `/cgi-bin/aibot/response?response_code=…`, answered with
 * `{"errcode":0,"errmsg":"ok"}`. Records every post so tests can assert what the gateway sent.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { listenLocal, readBody, sendBody } from '../shared/localServer';

export interface ResponseUrlPost {
  code: string;
  /** Parsed JSON, or the raw text when the body is not JSON. */
  body: unknown;
  headers: IncomingHttpHeaders;
}

export interface ResponseUrlServer {
  url(code?: string): string;
  readonly posts: ResponseUrlPost[];
  waitForPosts(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const PATH = '/cgi-bin/aibot/response';

function parseBody(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Resolves once `posts` holds at least `n` entries; `waiters` are poked on every new post. */
function waitFor(posts: ResponseUrlPost[], waiters: Set<() => void>, n: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (posts.length < n) return;
      cleanup();
      resolve();
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`expected ${n} response_url post(s) within ${timeoutMs} ms, got ${posts.length}`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      waiters.delete(check);
    };
    waiters.add(check);
    check();
  });
}

export async function startResponseUrlServer(
  opts: { reply?: Record<string, unknown>; status?: number } = {},
): Promise<ResponseUrlServer> {
  const posts: ResponseUrlPost[] = [];
  const waiters = new Set<() => void>();
  const local = await listenLocal((req, res) => {
    void readBody(req).then((raw) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method !== 'POST' || url.pathname !== PATH) return sendBody(res, 404, 'not found');
      posts.push({ code: url.searchParams.get('response_code') ?? '', body: parseBody(raw), headers: req.headers });
      for (const wake of waiters) wake();
      const reply = JSON.stringify(opts.reply ?? { errcode: 0, errmsg: 'ok' });
      sendBody(res, opts.status ?? 200, reply, { 'Content-Type': 'application/json; charset=UTF-8' });
    });
  });
  const waitForPosts = (n: number, timeoutMs = 5000): Promise<void> => waitFor(posts, waiters, n, timeoutMs);
  return {
    url: (code = randomBytes(8).toString('hex')) => `${local.origin}${PATH}?response_code=${encodeURIComponent(code)}`,
    posts,
    waitForPosts,
    close: () => local.close(),
  };
}
