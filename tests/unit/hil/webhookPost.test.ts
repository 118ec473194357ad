import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkCallbackUrl, postWebhook } from '../../../app/hil/services/webhookPost';

/**
 * The interaction webhook's address policy (issue #15 scope 3): a callback_url on a private or loopback
 * address is refused unless HIL_CALLBACK_ALLOW_PRIVATE_NETWORKS, by IP literal and by name (the address
 * the socket would connect to), and the receiver never sees the call.
 */
describe('postWebhook', () => {
  let server: Server;
  let port: number;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits += 1;
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    hits = 0;
  });

  const post = (
    url: string,
    allowPrivateNetworks: boolean,
    resolve?: () => Promise<{ address: string; family: number }[]>,
  ) =>
    postWebhook(
      {
        url,
        body: Buffer.from('{}'),
        headers: { 'Content-Type': 'application/json' },
        allowPrivateNetworks,
        timeoutMs: 2000,
      },
      resolve,
    );

  it('refuses a loopback IP literal when private networks are not allowed, and sends it when they are', async () => {
    const refused = await post(`http://127.0.0.1:${port}/hook`, false);
    expect(refused).toEqual({ ok: false, error: 'callback_url must not point to a private or loopback address' });
    expect(hits).toBe(0);
    expect(await post(`http://127.0.0.1:${port}/hook`, true)).toEqual({ ok: true, status: 204 });
    expect(hits).toBe(1);
  });

  it('refuses a name that resolves to a private address, checked on the address it would connect to', async () => {
    const rebinding = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    const refused = await post(`http://hooks.example.com:${port}/hook?token=secret`, false, rebinding);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error).toBe(`http://hooks.example.com:${port} resolves to a non-public address`);
    expect(hits).toBe(0);
  });

  it('counts a non-2xx answer and a refused connection as failures, naming the origin only', async () => {
    const closed = await post('http://127.0.0.1:1/hook?token=secret', true);
    expect(closed).toEqual({ ok: false, error: 'cannot post to http://127.0.0.1:1 (ECONNREFUSED)' });
  });

  it('checks a callback_url before any DNS: http(s), no credentials, no private literal', () => {
    expect(checkCallbackUrl('https://example.com/x', false).ok).toBe(true);
    expect(checkCallbackUrl('ftp://example.com/x', true)).toMatchObject({ ok: false });
    expect(checkCallbackUrl('https://user:pw@example.com/x', true)).toMatchObject({ ok: false });
    expect(checkCallbackUrl('http://[::ffff:7f00:1]/x', false)).toMatchObject({ ok: false });
    expect(checkCallbackUrl('http://169.254.169.254/latest', false)).toMatchObject({ ok: false });
    expect(checkCallbackUrl('http://10.0.0.5/x', true).ok).toBe(true);
    expect(checkCallbackUrl('not a url', true)).toMatchObject({ ok: false });
  });
});
