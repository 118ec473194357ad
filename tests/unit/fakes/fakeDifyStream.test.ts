/**
 * Self-test of the fake Dify's SSE writer: byte-exact fixtures under every chunking, envelope
 * filling, legacy JSON, dropped connections, hang + stop, pings and delays (dify-api.md §4, §6.2, §9.5).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeDify, type Chunking, type FakeDify } from '../../fakes/fakeDify';
import { eventNames, parseSse, postJson, rawRequest } from './rawHttp';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'dify');
const NAMES = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.sse'))
  .map((f) => f.slice(0, -4));
const CHUNKINGS: Chunking[] = ['event', 'glued', { bytes: 7 }, 'random'];
const KEY = 'app-chat';

let dify: FakeDify;
beforeAll(async () => {
  dify = await startFakeDify({
    apps: [
      { apiKey: KEY, mode: 'chat' },
      { apiKey: 'app-flow', mode: 'advanced-chat' },
    ],
  });
});
afterAll(() => dify.close());

const send = (user: string, extra: Record<string, unknown> = {}, opts = {}) =>
  postJson(
    `${dify.baseUrl}/chat-messages`,
    KEY,
    { inputs: {}, query: 'q', user, response_mode: 'streaming', ...extra },
    opts,
  );
const events = (body: Buffer) =>
  parseSse(body.toString('utf8')).filter((e): e is Record<string, unknown> => e !== 'ping');

describe('fixtures (§10)', () => {
  it('has the twelve fixtures of §10', () => {
    const listed = ['F1', 'F1L', 'F2', 'F2b', 'F3', 'F4', 'F5', 'F5b', 'F5c', 'F6', 'F6b', 'F7'];
    expect(NAMES).toEqual(expect.arrayContaining(listed));
  });

  const cases = NAMES.flatMap((name) =>
    CHUNKINGS.map((chunking) => [name, JSON.stringify(chunking), chunking] as const),
  );
  it.each(cases)('%s arrives byte-exact with chunking %s', async (name, _label, chunking) => {
    dify.script(KEY, { kind: 'fixture', name, chunking });
    const res = await send(`fx-${name}`);
    expect(res.status).toBe(200);
    expect(res.body.equals(readFileSync(join(FIXTURES, `${name}.sse`)))).toBe(true);
  });

  it("registers the fixture's conversation so a follow-up continues it", async () => {
    dify.script(KEY, { kind: 'fixture', name: 'F1' });
    const first = events((await send('fx-follow')).body);
    const id = first[0]?.['conversation_id'];
    expect(dify.conversationsOf(KEY, 'fx-follow')).toEqual([id]);
    const next = await send('fx-follow', { conversation_id: id });
    expect(events(next.body).every((ev) => ev['conversation_id'] === id)).toBe(true);
  });

  it('rejects an unknown fixture name when scripting', () => {
    expect(() => dify.script(KEY, { kind: 'fixture', name: 'F99' })).toThrow(/no Dify fixture/);
  });
});

describe('scripted streams', () => {
  it('fills the envelope (§4.2) and keeps scripted values', async () => {
    dify.script(KEY, {
      kind: 'stream',
      events: [
        { event: 'message', answer: 'a' },
        'ping',
        { event: 'message', answer: 'b', task_id: 'custom' },
        { event: 'error', status: 400, code: 'completion_request_error', message: 'boom' },
      ],
    });
    const items = parseSse((await send('env')).body.toString('utf8'));
    expect(eventNames(items)).toEqual(['message', 'ping', 'message', 'error']);
    const [first, , second, error] = items as Array<Record<string, unknown>>;
    expect(Object.keys(first ?? {})).toEqual([
      'event',
      'conversation_id',
      'message_id',
      'created_at',
      'task_id',
      'id',
      'answer',
    ]);
    expect(first?.['id']).toBe(first?.['message_id']);
    expect(second?.['task_id']).toBe('custom');
    expect(error).not.toHaveProperty('task_id');
    expect(error?.['conversation_id']).toBe(first?.['conversation_id']);
    expect(dify.conversationsOf(KEY, 'env')).toEqual([first?.['conversation_id']]);
  });

  it('writes legacy json.dumps style when asked (§4.1)', async () => {
    dify.script(KEY, { kind: 'stream', jsonStyle: 'legacy', events: [{ event: 'message', answer: '你好' }] });
    const text = (await send('legacy')).body.toString('utf8');
    expect(text).toMatch(/^data: \{"event": "message", "conversation_id": "/);
    expect(text).toContain('"answer": "\\u4f60\\u597d"');
    expect(/^[\x00-\x7f]*$/.test(text)).toBe(true);
  });

  it('drops the connection without a terminal event on end: destroy', async () => {
    dify.script(KEY, { kind: 'stream', events: [{ event: 'message', answer: '半' }], end: 'destroy' });
    const res = await send('drop');
    expect(res.error).toBeDefined();
    expect(eventNames(parseSse(res.body.toString('utf8')))).toEqual(['message']);
  });

  it('honours headerDelayMs and delayMs', async () => {
    dify.script(KEY, {
      kind: 'stream',
      headerDelayMs: 60,
      delayMs: 30,
      events: [{ event: 'message', answer: 'x' }, { event: 'message_end' }],
    });
    const started = Date.now();
    const res = await send('slow');
    expect(Date.now() - started).toBeGreaterThanOrEqual(85);
    expect(eventNames(parseSse(res.body.toString('utf8')))).toEqual(['message', 'message_end']);
  });
});

describe('stop (§6.2)', () => {
  it('ends a hanging stream with message_end; a foreign user is ignored', async () => {
    dify.script(KEY, { kind: 'stream', events: [{ event: 'message', answer: '部分' }], end: 'hang' });
    let stopped = false;
    const res = await send(
      'stopper',
      {},
      {
        onData: (soFar: string) => {
          if (stopped || !soFar.includes('\n\n')) return;
          stopped = true;
          const taskId = String(events(Buffer.from(soFar))[0]?.['task_id']);
          const stop = (user: string) => postJson(`${dify.baseUrl}/chat-messages/${taskId}/stop`, KEY, { user });
          void stop('intruder')
            .then(() => stop('stopper'))
            .then((r) => expect(r.body.toString()).toBe('{"result":"success"}'));
        },
      },
    );
    expect(eventNames(parseSse(res.body.toString('utf8')))).toEqual(['message', 'message_end']);
    expect(dify.requests.filter((r) => r.path.endsWith('/stop')).map((r) => r.body)).toEqual([
      { user: 'intruder' },
      { user: 'stopper' },
    ]);
  });

  it('stops a chatflow with workflow_finished(stopped) + message_end', async () => {
    dify.script('app-flow', { kind: 'stream', events: [{ event: 'message', answer: 'x' }], end: 'hang' });
    const res = await postJson(
      `${dify.baseUrl}/chat-messages`,
      'app-flow',
      { inputs: {}, query: 'q', user: 'f', response_mode: 'streaming' },
      {
        onData: (soFar: string) => {
          const taskId = String(events(Buffer.from(soFar))[0]?.['task_id']);
          void postJson(`${dify.baseUrl}/chat-messages/${taskId}/stop`, 'app-flow', { user: 'f' });
        },
      },
    );
    const all = events(res.body);
    expect(eventNames(all)).toEqual(['message', 'workflow_finished', 'message_end']);
    expect(all[1]).toMatchObject({ data: { status: 'stopped' } });
  });
});

describe('keep-alive and shutdown', () => {
  it('sends pings while a stream hangs, and close() drops hanging requests', async () => {
    const local = await startFakeDify({ apps: [{ apiKey: KEY, mode: 'chat' }], pingIntervalMs: 10 });
    local.script(KEY, { kind: 'stream', events: [{ event: 'message', answer: 'x' }], end: 'hang' }, { kind: 'hang' });
    const url = `${local.baseUrl}/chat-messages`;
    const body = { inputs: {}, query: 'q', user: 'p', response_mode: 'streaming' };
    let pings = 0;
    const streaming = postJson(url, KEY, body, {
      onData: (s: string) => {
        pings = s.split('event: ping').length - 1;
      },
    });
    const hanging = postJson(url, KEY, body).then(
      () => 'answered',
      () => 'dropped',
    );
    await new Promise((resolve) => setTimeout(resolve, 80));
    await local.close();
    expect(pings).toBeGreaterThanOrEqual(2);
    expect((await streaming).error).toBeDefined();
    expect(await hanging).toBe('dropped');
  });

  it('404s unknown routes before auth', async () => {
    const res = await rawRequest(`${dify.baseUrl}/nope`);
    expect(res.status).toBe(404);
  });
});
