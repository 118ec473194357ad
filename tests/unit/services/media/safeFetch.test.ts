import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { FetchError, safeFetch, type FetchErrorCode, type FetchPolicy } from '../../../../app/services/media/safeFetch';
import { publicOnlyLookup, type Resolver } from '../../../../app/services/media/publicLookup';

interface TestServer {
  readonly server: http.Server;
  readonly port: number;
  readonly origin: string;
  /** Paths (with query) of every request that reached the server. */
  readonly hits: string[];
  readonly headers: http.IncomingHttpHeaders[];
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

async function startServer(handler: Handler): Promise<TestServer> {
  const hits: string[] = [];
  const headers: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    headers.push(req.headers);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, port, origin: `http://127.0.0.1:${port}`, hits, headers };
}

async function stopServer(s: TestServer): Promise<void> {
  s.server.closeAllConnections();
  await new Promise<void>((resolve) => s.server.close(() => resolve()));
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const SECRET = 'sign=SECRET';

let a: TestServer;
let b: TestServer;
/** Resolves when the server side of the oversized chunked download sees its socket close. */
let chunkedSocketClosed: Promise<void>;
const timers = new Set<NodeJS.Timeout>();

function redirect(res: http.ServerResponse, location: string, status = 302): void {
  res.writeHead(status, { Location: location }).end();
}

function streamForever(req: http.IncomingMessage, res: http.ServerResponse): void {
  chunkedSocketClosed = new Promise((resolve) => req.socket.once('close', () => resolve()));
  res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
  const timer = setInterval(() => res.write(Buffer.alloc(1024, 1)), 2);
  timers.add(timer);
  req.socket.once('close', () => clearInterval(timer));
}

const routes: Record<string, Handler> = {
  '/image': (_req, res) =>
    res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Disposition': 'attachment; filename="a.png"' }).end(PNG),
  '/same': (_req, res) => redirect(res, `${a.origin}/image?${SECRET}`),
  '/relative': (_req, res) => redirect(res, `image?${SECRET}`, 307),
  '/to-b': (_req, res) => redirect(res, `${b.origin}/image?${SECRET}`),
  '/to-metadata': (_req, res) => redirect(res, `http://169.254.169.254/latest/meta-data/?${SECRET}`),
  '/to-v6-loopback': (_req, res) => redirect(res, `http://[::1]:${b.port}/image?${SECRET}`),
  '/to-localhost': (_req, res) => redirect(res, `http://localhost:${b.port}/image?${SECRET}`, 301),
  '/to-rebind': (_req, res) => redirect(res, `http://rebind.example:${b.port}/image?${SECRET}`),
  '/to-ftp': (_req, res) => redirect(res, `ftp://example.com/file?${SECRET}`),
  '/loop': (_req, res) => redirect(res, `/loop?${SECRET}`, 308),
  '/missing': (_req, res) => res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not here'),
  '/declared-big': (_req, res) => res.writeHead(200, { 'Content-Length': '5000' }).end(Buffer.alloc(5000)),
  '/chunked-big': streamForever,
  '/stall': () => undefined,
  '/stall-body': (_req, res) => res.writeHead(200, { 'Content-Type': 'image/png' }).write(PNG),
};

beforeAll(async () => {
  a = await startServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const route = routes[path];
    if (route) route(req, res);
    else res.writeHead(500).end();
  });
  b = await startServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/plain' }).end('from-b'));
});

afterAll(async () => {
  for (const timer of timers) clearInterval(timer);
  await Promise.all([stopServer(a), stopServer(b)]);
});

beforeEach(() => {
  a.hits.length = 0;
  a.headers.length = 0;
  b.hits.length = 0;
});

function policy(overrides: Partial<FetchPolicy> = {}): FetchPolicy {
  return {
    allowedOrigins: new Set([a.origin]),
    allowPrivateNetworks: false,
    maxBytes: 4096,
    timeoutMs: 2000,
    maxRedirects: 3,
    ...overrides,
  };
}

/** Asserts the code and that the message names no path or query (they may carry signatures). */
async function failure(promise: Promise<unknown>, code: FetchErrorCode): Promise<FetchError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FetchError);
  const fetchError = err as FetchError;
  expect(fetchError.code).toBe(code);
  expect(fetchError.message).not.toContain('SECRET');
  expect(fetchError.message).not.toMatch(/\/(image|missing|loop|stall|latest|to-|declared|chunked|file)/);
  return fetchError;
}

describe('safeFetch: allowed origins', () => {
  it('returns the exact bytes, content type and disposition from an allowed origin', async () => {
    const body = await safeFetch(`${a.origin}/image?${SECRET}`, policy());
    expect(body.bytes.equals(PNG)).toBe(true);
    expect(body.contentType).toBe('image/png');
    expect(body.contentDisposition).toBe('attachment; filename="a.png"');
    expect(body.finalUrl).toBe(`${a.origin}/image?${SECRET}`);
  });

  it('sends only its own headers: no cookies, no credentials from the URL', async () => {
    await safeFetch(`http://user:pw@127.0.0.1:${a.port}/image`, policy());
    const headers = a.headers[0];
    expect(headers?.['user-agent']).toBe('wecom-dify-gateway');
    expect(headers?.accept).toBe('*/*');
    expect(headers?.authorization).toBeUndefined();
    expect(headers?.cookie).toBeUndefined();
  });

  it('refuses an origin that is not allowed without making a request', async () => {
    const err = await failure(safeFetch(`${b.origin}/image?${SECRET}`, policy()), 'ORIGIN_NOT_ALLOWED');
    expect(err.message).toContain(b.origin);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(b.hits).toEqual([]);
  });

  it("trusts every origin, and every redirect, with 'any'", async () => {
    const body = await safeFetch(`${a.origin}/to-b`, policy({ allowedOrigins: 'any' }));
    expect(body.bytes.toString()).toBe('from-b');
    expect(body.finalUrl).toBe(`${b.origin}/image?${SECRET}`);
  });

  it.each([
    'file:///etc/passwd',
    'ftp://example.com/a.png',
    'data:image/png;base64,iVBORw0K',
    'javascript:alert(1)',
    'not a url',
  ])('rejects %s as BAD_URL', async (url) => {
    await failure(safeFetch(url, policy({ allowedOrigins: 'any' })), 'BAD_URL');
  });
});

describe('safeFetch: redirects', () => {
  it('follows a redirect within the allowed origin', async () => {
    const body = await safeFetch(`${a.origin}/same`, policy());
    expect(body.bytes.equals(PNG)).toBe(true);
    expect(a.hits).toEqual(['/same', `/image?${SECRET}`]);
  });

  it('resolves a relative Location against the current URL', async () => {
    const body = await safeFetch(`${a.origin}/relative`, policy());
    expect(body.finalUrl).toBe(`${a.origin}/image?${SECRET}`);
    expect(body.bytes.equals(PNG)).toBe(true);
  });

  it('refuses a redirect to another origin on a private address', async () => {
    const err = await failure(safeFetch(`${a.origin}/to-b`, policy()), 'PRIVATE_ADDRESS');
    expect(err.message).toContain(b.origin);
    expect(b.hits).toEqual([]);
  });

  it('follows that redirect when private networks are allowed', async () => {
    const body = await safeFetch(`${a.origin}/to-b`, policy({ allowPrivateNetworks: true }));
    expect(body.bytes.toString()).toBe('from-b');
    expect(b.hits).toEqual([`/image?${SECRET}`]);
  });

  it('follows a redirect to another origin that is allowed', async () => {
    const body = await safeFetch(`${a.origin}/to-b`, policy({ allowedOrigins: new Set([a.origin, b.origin]) }));
    expect(body.bytes.toString()).toBe('from-b');
  });

  it.each(['/to-metadata', '/to-v6-loopback', '/to-localhost'])('refuses %s as PRIVATE_ADDRESS', async (path) => {
    await failure(safeFetch(`${a.origin}${path}`, policy()), 'PRIVATE_ADDRESS');
    expect(b.hits).toEqual([]);
  });

  it('refuses a redirect to a non-http scheme', async () => {
    await failure(safeFetch(`${a.origin}/to-ftp`, policy({ allowPrivateNetworks: true })), 'BAD_URL');
  });

  it('stops a redirect loop after maxRedirects', async () => {
    await failure(safeFetch(`${a.origin}/loop`, policy()), 'TOO_MANY_REDIRECTS');
    expect(a.hits).toHaveLength(4);
  });
});

describe('safeFetch: connect-time address check', () => {
  it('checks the addresses the socket would use, resolving the name only once', async () => {
    const resolver = jest.fn<ReturnType<Resolver>, Parameters<Resolver>>(async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '127.0.0.1', family: 4 },
    ]);
    await failure(safeFetch(`${a.origin}/to-rebind`, policy(), undefined, resolver), 'PRIVATE_ADDRESS');
    expect(resolver).toHaveBeenCalledTimes(1);
    expect(resolver).toHaveBeenCalledWith('rebind.example');
    expect(b.hits).toEqual([]);
  });

  function lookupOnce(resolved: LookupAddress[], options: LookupOptions): Promise<unknown[]> {
    const lookup = publicOnlyLookup(
      async () => resolved,
      () => new Error('refused'),
    );
    return new Promise((resolve) => lookup('host.example', options, (...args) => resolve(args)));
  }

  it('hands exactly the vetted addresses to the socket', async () => {
    const resolved = [
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
    ];
    expect(await lookupOnce(resolved, {})).toEqual([null, '93.184.216.34', 4]);
    expect(await lookupOnce(resolved, { all: true })).toEqual([null, resolved]);
    expect(await lookupOnce(resolved, { family: 6 })).toEqual([null, '2606:2800:220:1:248:1893:25c8:1946', 6]);
  });

  it('refuses when any resolved address is not public, or none came back', async () => {
    const [err] = await lookupOnce(
      [
        { address: '8.8.8.8', family: 4 },
        { address: '::1', family: 6 },
      ],
      { all: true },
    );
    expect((err as Error).message).toBe('refused');
    const [none] = await lookupOnce([], {});
    expect((none as Error).message).toBe('refused');
  });
});

describe('safeFetch: failures', () => {
  it('reports a non-2xx status with the status', async () => {
    const err = await failure(safeFetch(`${a.origin}/missing?${SECRET}`, policy()), 'HTTP_STATUS');
    expect(err.status).toBe(404);
    expect(err.message).toContain(a.origin);
  });

  it('refuses a declared Content-Length above maxBytes', async () => {
    await failure(safeFetch(`${a.origin}/declared-big?${SECRET}`, policy()), 'TOO_LARGE');
  });

  it('stops reading a chunked body past maxBytes and closes the connection', async () => {
    await failure(safeFetch(`${a.origin}/chunked-big?${SECRET}`, policy()), 'TOO_LARGE');
    await chunkedSocketClosed;
  });

  it('times out a server that never answers, within about timeoutMs', async () => {
    const started = Date.now();
    const err = await failure(safeFetch(`${a.origin}/stall?${SECRET}`, policy({ timeoutMs: 150 })), 'TIMEOUT');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(err.message).toContain('timed out');
  });

  it('times out a body that never ends', async () => {
    await failure(safeFetch(`${a.origin}/stall-body?${SECRET}`, policy({ timeoutMs: 150 })), 'TIMEOUT');
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const err = await failure(safeFetch(`${a.origin}/stall?${SECRET}`, policy(), controller.signal), 'TIMEOUT');
    expect(err.message).toContain('aborted by the caller');
  });

  it('does not start when the caller signal is already aborted', async () => {
    await failure(safeFetch(`${a.origin}/image?${SECRET}`, policy(), AbortSignal.abort()), 'TIMEOUT');
  });

  it('reports a refused connection as NETWORK', async () => {
    const closed = await startServer(() => undefined);
    await stopServer(closed);
    const err = await failure(
      safeFetch(`${closed.origin}/image?${SECRET}`, policy({ allowedOrigins: 'any' })),
      'NETWORK',
    );
    expect(err.message).toContain(closed.origin);
  });
});
