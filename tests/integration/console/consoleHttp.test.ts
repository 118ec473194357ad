/**
 * The console's walls over plain HTTP (issue #17): the session cookie's attributes, CSRF (a POST needs
 * same-origin evidence), the strict CSP, redirects to the login form, escaping, and the message text shown
 * only with CONSOLE_SHOW_MESSAGE_TEXT=true (this suite turns it on; the browser suite has it off).
 */
import { wsText } from '../../fakes/fakeWecomWs';
import { approvalContext } from '../../fakes/goHumanLoop';
import { type Harness, WS_BOT } from '../harness';
import { wsChat } from '../wsChat';
import { OPERATOR, ghl, startHilHarness, waitConnected } from '../hil/hilKit';

describe('the console over plain HTTP', () => {
  let h: Harness;
  let origin: string;
  beforeAll(async () => {
    h = await startHilHarness({ CONSOLE_SHOW_MESSAGE_TEXT: 'true' });
    origin = h.url;
    await waitConnected(h);
  });
  afterAll(() => h.close());

  const form = (fields: Record<string, string | string[]>): string => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one);
    return body.toString();
  };

  function post(path: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${h.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });
  }

  const login = (headers: Record<string, string>) =>
    post('/console/login', form({ username: OPERATOR.email, password: OPERATOR.password }), headers);

  async function session(): Promise<string> {
    const res = await login({ origin });
    expect(res.status).toBe(303);
    return (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
  }

  const get = (path: string, cookie?: string) =>
    fetch(`${h.url}${path}`, { redirect: 'manual', headers: cookie === undefined ? {} : { cookie } });

  it('sends pages without a session to the login form, the live list answers 401', async () => {
    const page = await get('/console/requests');
    expect([page.status, page.headers.get('location')]).toEqual([303, '/console/login']);
    expect((await get('/console/requests/live')).status).toBe(401);
    const stale = await post('/console/requests/batch', 'action=approved', { origin });
    expect([stale.status, stale.headers.get('location')]).toEqual([303, '/console/login']);
    const forged = await get('/console/health', 'console_session=eyJhbGciOiJub25lIn0.e30.');
    expect([forged.status, forged.headers.get('location')]).toEqual([303, '/console/login']);
  });

  it('serves every page with a strict CSP, no framing and no inline script', async () => {
    const res = await get('/console/login');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(await res.text()).not.toMatch(/<script(?![^>]*\bsrc=)/);
    const js = await get('/console/assets/requests.js');
    expect([js.status, js.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
  });

  it('refuses a login POST without same-origin evidence or from another origin (403)', async () => {
    expect((await login({})).status).toBe(403);
    expect((await login({ origin: 'http://evil.example' })).status).toBe(403);
    expect((await login({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await login({ 'sec-fetch-site': 'same-origin' })).status).toBe(303);
    // Behind a proxy that rewrites Host: the browser's host arrives as X-Forwarded-Host.
    const proxied = { origin: 'https://console.example.com', 'x-forwarded-host': 'console.example.com' };
    expect((await login(proxied)).status).toBe(303);
    expect((await login({ ...proxied, 'x-forwarded-host': 'other.example.com' })).status).toBe(403);
  });

  it('sets the JWT in an HttpOnly, SameSite=Strict cookie for /console, Secure behind https', async () => {
    const plain = (await login({ origin })).headers.get('set-cookie') ?? '';
    expect(plain).toMatch(
      /^console_session=[\w-]+\.[\w-]+\.[\w-]+; Path=\/console; HttpOnly; SameSite=Strict; Max-Age=\d+$/,
    );
    const https = await login({ origin: origin.replace('http:', 'https:'), 'x-forwarded-proto': 'https' });
    // The Origin must still be this host: the scheme differs, the host does not.
    expect(https.headers.get('set-cookie')).toMatch(/; Secure$/);
    const wrong = await post('/console/login', form({ username: OPERATOR.email, password: 'nope' }), { origin });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('refuses a cross-site answer even with the session cookie; the request stays pending', async () => {
    const client = ghl(h);
    const { sent } = await client.request('approval', approvalContext('<script>alert(1)</script>'), {
      bot: WS_BOT.key,
      userid: 'xss',
    });
    const request = (await h.gateway.hil.requests.byClientIds(
      'agents',
      sent.platform,
      sent.conversationId,
      sent.requestId,
    ))!;
    const cookie = await session();
    const body = form({ action: 'approved', ids: [request.id] });
    const cross = await post('/console/requests/batch', body, { cookie, 'sec-fetch-site': 'cross-site' });
    expect(cross.status).toBe(403);
    const none = await post(`/console/requests/${request.id}/answer`, form({ action: 'approved' }), { cookie });
    expect(none.status).toBe(403);
    expect((await client.status(sent)).parsed).toMatchObject({ status: 'pending' });
    const detail = await (await get(`/console/requests/${request.id}`, cookie)).text();
    expect(detail).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(detail).not.toContain('<script>alert');
    const ok = await post(`/console/requests/${request.id}/answer`, form({ action: 'rejected', text: '不行' }), {
      cookie,
      origin,
    });
    expect([ok.status, ok.headers.get('location')]).toEqual([303, `/console/requests/${request.id}?done=1`]);
    expect((await client.waitForResult(sent)).status).toBe('rejected');
  });

  it('filters the list by type, status, bot and age; the live JSON follows the same filters', async () => {
    const client = ghl(h);
    const { sent } = await client.request(
      'information',
      { question: '服务器地址？' },
      { bot: WS_BOT.key, userid: 'f1' },
    );
    const info = (await h.gateway.hil.requests.byClientIds(
      'agents',
      sent.platform,
      sent.conversationId,
      sent.requestId,
    ))!;
    const cookie = await session();
    const rowsOf = async (query: string): Promise<string> => {
      const res = await get(`/console/requests/live?${query}`, cookie);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { stamp: string; rows: string };
      expect(typeof body.stamp).toBe('string');
      return body.rows;
    };
    expect(await rowsOf('type=information&status=pending&age=1h')).toContain(info.id);
    expect(await rowsOf('type=approval')).not.toContain(info.id);
    expect(await rowsOf(`bot=${WS_BOT.key}`)).toContain(info.id);
    expect(await rowsOf('bot=another-bot')).not.toContain(info.id);
    const page = await (await get('/console/requests?type=information', cookie)).text();
    expect(page).toContain(`data-id="${info.id}"`);
    expect(page).toMatch(/<option value="information"\s+selected>/);
    const answered = await post(
      `/console/requests/${info.id}/answer`,
      form({ action: 'information', text: '10.0.0.1' }),
      {
        cookie,
        origin,
      },
    );
    expect(answered.status).toBe(303);
    expect(await client.waitForResult(sent)).toMatchObject({
      status: 'completed',
      response: { information: '10.0.0.1' },
    });
    expect(await rowsOf('status=pending&type=information')).not.toContain(info.id);
  });

  it('shows the message text when CONSOLE_SHOW_MESSAGE_TEXT=true, escaped', async () => {
    await wsChat(h.ws!, wsText('<b>你好</b>', { userid: 'texty' }));
    const cookie = await session();
    let page = '';
    for (let i = 0; i < 50 && !page.includes('answered'); i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      page = await (await get('/console/messages?user=texty', cookie)).text();
    }
    expect(page).toContain('&lt;b&gt;你好&lt;/b&gt;');
    expect(page).not.toContain('消息正文未显示');
  });
});
