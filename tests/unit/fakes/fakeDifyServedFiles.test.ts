/**
 * Self-test of the fake Dify's signed tool files (dify-api.md §4.7, §9 item 10): relative
 * `/files/tools/<uuid>.<ext>?timestamp&nonce&sign` paths, served without auth, 403 for a bad
 * signature or after the ttl, 404, forced statuses, redirects, and request recording.
 */
import { startFakeDify, type FakeDify } from '../../fakes/fakeDify';

let dify: FakeDify;
beforeAll(async () => {
  dify = await startFakeDify({ apps: [{ apiKey: 'app-files', mode: 'agent-chat' }] });
});
afterAll(() => dify.close());

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 255]);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function get(url: string, init: RequestInit = {}): Promise<{ status: number; res: Response; bytes: Buffer }> {
  const res = await fetch(url, { redirect: 'manual', ...init });
  return { status: res.status, res, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('served tool files (§4.7)', () => {
  it('emits a relative signed path like Dify and serves the bytes without auth', async () => {
    const file = dify.serveFile({ bytes: PNG, contentType: 'image/png' });
    expect(file.path).toMatch(
      /^\/files\/tools\/[0-9a-f-]{36}\.png\?timestamp=\d{10}&nonce=[0-9a-f]{32}&sign=[A-Za-z0-9_-]{43}=$/,
    );
    expect(file.url).toBe(`${dify.origin}${file.path}`);
    const { status, res, bytes } = await get(file.url);
    expect(status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-length')).toBe(String(PNG.length));
    expect(bytes.equals(PNG)).toBe(true);
    const head = await get(file.url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.bytes.length).toBe(0);
  });

  it('derives the extension from the type, then the name, then .bin', () => {
    expect(dify.serveFile({ bytes: PNG, contentType: 'image/jpeg' }).path).toMatch(/\.jpg\?/);
    expect(dify.serveFile({ bytes: PNG, contentType: 'application/x-foo', name: 'report.DOCX' }).path).toMatch(
      /\.docx\?/,
    );
    expect(dify.serveFile({ bytes: PNG, contentType: 'application/x-foo' }).path).toMatch(/\.bin\?/);
  });

  it('sends Content-Disposition with the name when as_attachment=true', async () => {
    const file = dify.serveFile({ bytes: Buffer.from('%PDF'), contentType: 'application/pdf', name: '报告.pdf' });
    const { res } = await get(`${file.url}&as_attachment=true`);
    expect(res.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf");
  });

  it('answers 403 for a missing or wrong signature', async () => {
    const file = dify.serveFile({ bytes: PNG, contentType: 'image/png' });
    const bare = file.url.slice(0, file.url.indexOf('?'));
    for (const url of [bare, file.url.replace(/sign=./, (s) => (s.endsWith('A') ? 'sign=B' : 'sign=A'))]) {
      const { status, bytes } = await get(url);
      expect(status).toBe(403);
      expect(JSON.parse(bytes.toString('utf8'))).toEqual({
        code: 'forbidden',
        message: 'Invalid request.',
        status: 403,
      });
    }
  });

  it('answers 403 once the ttl has passed, like an expired signature', async () => {
    const file = dify.serveFile({ bytes: PNG, contentType: 'image/png', ttlMs: 60 });
    expect((await get(file.url)).status).toBe(200);
    await sleep(90);
    expect((await get(file.url)).status).toBe(403);
  });

  it('answers 404 for an unknown name and for a file forced to 404', async () => {
    const unknown = await get(
      `${dify.origin}/files/tools/00000000-0000-4000-8000-000000000000.png?timestamp=1&nonce=a&sign=b`,
    );
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.bytes.toString('utf8'))).toMatchObject({ code: 'not_found' });
    const gone = dify.serveFile({ bytes: PNG, contentType: 'image/png', status: 404 });
    expect((await get(gone.url)).status).toBe(404);
    expect((await get(dify.serveFile({ bytes: PNG, contentType: 'image/png', status: 500 }).url)).status).toBe(500);
  });

  it('redirects with 302 when asked to', async () => {
    const target = dify.serveFile({ bytes: PNG, contentType: 'image/png' }).url;
    const file = dify.serveFile({ bytes: PNG, contentType: 'image/png', redirectTo: target });
    const { status, res } = await get(file.url);
    expect(status).toBe(302);
    expect(res.headers.get('location')).toBe(target);
    const followed = await fetch(file.url);
    expect(Buffer.from(await followed.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('records served-file requests without an api key', async () => {
    const file = dify.serveFile({ bytes: PNG, contentType: 'image/png' });
    await get(file.url);
    const pathname = file.path.slice(0, file.path.indexOf('?'));
    const recorded = dify.requests.filter((r) => r.path === pathname);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      method: 'GET',
      apiKey: undefined,
      query: { nonce: expect.stringMatching(/^[0-9a-f]{32}$/) },
    });
  });

  it('keeps /v1 routes authenticated and unknown non-/v1 paths 404', async () => {
    expect((await get(`${dify.origin}/files/upload`)).status).toBe(404);
    expect((await get(`${dify.origin}/v1/files/upload`, { method: 'POST' })).status).toBe(401);
  });
});
