/**
 * Self-test of the fake Dify's `POST /v1/files/upload` (dify-api.md §6.1): multipart built by
 * Node's own FormData/Blob + fetch, bytes kept exact, every documented error, scripted
 * failures, and the multipart parser on hand-written bodies.
 */
import { createHash, randomBytes } from 'node:crypto';
import { startFakeDify, type FakeDify } from '../../fakes/fakeDify';
import { parseMultipart } from '../../fakes/fakeDify/multipart';

const KEY = 'app-upload';
let dify: FakeDify;
beforeAll(async () => {
  // Small limits (MB, fractions allowed) so the 413 cases need only kilobytes.
  dify = await startFakeDify({ apps: [{ apiKey: KEY, mode: 'chat' }], uploadLimitsMb: { image: 0.01, file: 0.02 } });
});
afterAll(() => dify.close());

const md5 = (bytes: Buffer): string => createHash('md5').update(bytes).digest('hex');

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function upload(form: FormData | Buffer, opts: { key?: string; contentType?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = { Authorization: `Bearer ${opts.key ?? KEY}` };
  if (opts.contentType) headers['Content-Type'] = opts.contentType;
  const body = form instanceof FormData ? form : new Uint8Array(form);
  const res = await fetch(`${dify.baseUrl}/files/upload`, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function formWith(files: Array<{ bytes: Buffer; type: string; name: string }>, user?: string): FormData {
  const form = new FormData();
  if (user !== undefined) form.append('user', user);
  for (const file of files) form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  return form;
}

/** Bytes that contain CRLFs, dashes and a fake delimiter, to trip a sloppy parser. */
function nastyBytes(): Buffer {
  return Buffer.concat([
    randomBytes(3000),
    Buffer.from('\r\n--not-the-boundary\r\n\r\n'),
    randomBytes(3000),
    Buffer.from([0, 13, 10]),
  ]);
}

describe('successful upload (§6.1)', () => {
  it('answers 201 with the documented fields and records the exact bytes', async () => {
    const bytes = nastyBytes();
    const res = await upload(formWith([{ bytes, type: 'image/png', name: '截图 1.PNG' }], 'wecom:alice'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: '截图 1.PNG',
      size: bytes.length,
      extension: 'png',
      mime_type: 'image/png',
      preview_url: null,
    });
    expect(res.body['id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(typeof res.body['created_at']).toBe('number');
    const record = dify.uploads.at(-1);
    expect(record).toMatchObject({
      id: res.body['id'],
      apiKey: KEY,
      user: 'wecom:alice',
      filename: '截图 1.PNG',
      size: bytes.length,
    });
    expect(record?.md5).toBe(md5(bytes));
    expect(record?.bytes.equals(bytes)).toBe(true);
    // The signed source_url is relative (FILES_URL unset) and serves the same bytes without auth.
    expect(res.body['source_url']).toMatch(
      /^\/files\/[0-9a-f-]{36}\/file-preview\?timestamp=\d+&nonce=[0-9a-f]{32}&sign=/,
    );
    const preview = await fetch(`${dify.origin}${String(res.body['source_url'])}`);
    expect(Buffer.from(await preview.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('attributes an upload without `user` to DEFAULT-USER and keeps created_by per user', async () => {
    const one = await upload(formWith([{ bytes: Buffer.from('hello'), type: 'text/plain', name: 'a.txt' }]));
    const two = await upload(formWith([{ bytes: Buffer.from('again'), type: 'text/plain', name: 'b' }]));
    expect(one.status).toBe(201);
    expect(two.body).toMatchObject({ extension: '', created_by: one.body['created_by'] });
    expect(dify.uploads.at(-1)?.user).toBe('DEFAULT-USER');
  });

  it('records the request as fields and files, without the bytes', async () => {
    await upload(formWith([{ bytes: Buffer.alloc(10, 1), type: 'application/pdf', name: 'x.pdf' }], 'bob'));
    const recorded = dify.requests.filter((r) => r.path === '/files/upload').at(-1);
    expect(recorded?.apiKey).toBe(KEY);
    expect(recorded?.body).toEqual({
      fields: { user: 'bob' },
      files: [{ field: 'file', filename: 'x.pdf', contentType: 'application/pdf', size: 10 }],
    });
  });
});

describe('upload errors (§6.1)', () => {
  const png = { bytes: Buffer.alloc(100, 7), type: 'image/png', name: 'p.png' };
  const boundary = 'XyZ';
  const raw = (disposition: string, type: string): Promise<Answer> =>
    upload(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"${disposition}\r\n${type}\r\nabc\r\n--${boundary}--\r\n`,
      ),
      { contentType: `multipart/form-data; boundary=${boundary}` },
    );
  const cases: Array<[string, () => Promise<Answer>, number, string, string | undefined]> = [
    ['no file part', () => upload(formWith([], 'u1')), 400, 'no_file_uploaded', 'Please upload your file.'],
    [
      'not multipart',
      () => upload(Buffer.from('{}'), { contentType: 'application/json' }),
      400,
      'no_file_uploaded',
      'Please upload your file.',
    ],
    ['two files', () => upload(formWith([png, png])), 400, 'too_many_files', 'Only one file is allowed.'],
    ['no Content-Type', () => raw('; filename="a.png"', ''), 415, 'unsupported_file_type', 'File type not allowed.'],
    [
      'empty filename',
      () => raw('; filename=""', 'Content-Type: image/png\r\n'),
      400,
      'filename_not_exists_error',
      undefined,
    ],
    // undici leaves out an empty filename: werkzeug then sees a plain field, not a file.
    [
      'FormData with empty filename',
      () => upload(formWith([{ ...png, name: '' }])),
      400,
      'no_file_uploaded',
      undefined,
    ],
    ['slash in filename', () => upload(formWith([{ ...png, name: 'a/b.png' }])), 400, 'invalid_param', undefined],
    ['backslash in filename', () => upload(formWith([{ ...png, name: 'a\\b.png' }])), 400, 'invalid_param', undefined],
    [
      'image over its limit',
      () => upload(formWith([{ ...png, bytes: Buffer.alloc(11_000) }])),
      413,
      'file_too_large',
      '',
    ],
    [
      'file over its limit',
      () => upload(formWith([{ bytes: Buffer.alloc(21_000), type: 'text/plain', name: 'a.txt' }])),
      413,
      'file_too_large',
      '',
    ],
    ['bad key', () => upload(formWith([png]), { key: 'nope' }), 401, 'unauthorized', 'Access token is invalid'],
  ];
  it.each(cases)('%s', async (_name, send, status, code, message) => {
    const before = dify.uploads.length;
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ code, status, ...(message !== undefined ? { message } : {}) });
    expect(dify.uploads).toHaveLength(before);
  });

  it('accepts a non-image of the size an image may not have, and /parameters shows the limits', async () => {
    expect((await upload(formWith([{ bytes: Buffer.alloc(11_000), type: 'text/plain', name: 'a.txt' }]))).status).toBe(
      201,
    );
    const params = await fetch(`${dify.baseUrl}/parameters`, { headers: { Authorization: `Bearer ${KEY}` } });
    expect(await params.json()).toMatchObject({
      system_parameters: { image_file_size_limit: 0.01, file_size_limit: 0.02 },
    });
  });

  it('answers a scripted failure once, for a valid upload only, and records nothing', async () => {
    dify.failNextUpload(KEY, 503, { code: 'internal_server_error', message: 'storage down', status: 503 });
    const form = (): FormData => formWith([{ bytes: Buffer.from('x'), type: 'text/plain', name: 'x.txt' }]);
    expect((await upload(formWith([]))).status).toBe(400); // invalid: the failure stays queued
    const before = dify.uploads.length;
    expect(await upload(form())).toEqual({
      status: 503,
      body: { code: 'internal_server_error', message: 'storage down', status: 503 },
    });
    expect(dify.uploads).toHaveLength(before);
    expect((await upload(form())).status).toBe(201);
  });
});

describe('multipart parser', () => {
  it('reads quoted params, filename*, padding after the delimiter and empty parts', () => {
    const body = Buffer.from(
      'preamble\r\n--b  \r\nContent-Disposition: form-data; name="user"\r\n\r\n\r\n' +
        `--b\r\nContent-Disposition: form-data; name="file"; filename="a\\"b.txt"; filename*=UTF-8''%E6%96%87.txt\r\n` +
        'Content-Type: text/plain\r\n\r\nline1\r\nline2\r\n--b--\r\nepilogue',
    );
    expect(parseMultipart(body, 'b')).toEqual([
      { name: 'user', filename: undefined, contentType: undefined, data: Buffer.alloc(0) },
      { name: 'file', filename: '文.txt', contentType: 'text/plain', data: Buffer.from('line1\r\nline2') },
    ]);
  });

  it('rejects a body whose last part never closes', () => {
    expect(
      parseMultipart(Buffer.from('--b\r\nContent-Disposition: form-data; name="x"\r\n\r\nabc'), 'b'),
    ).toBeUndefined();
  });
});
