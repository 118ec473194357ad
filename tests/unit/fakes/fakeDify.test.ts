/**
 * Self-test of the fake Dify: auth, validation, conversations, default replies per mode,
 * scripted errors and request recording (dify-api.md §1, §2, §4.4, §5.2, §9).
 */
import { startFakeDify, type DifyMode, type FakeDify } from '../../fakes/fakeDify';
import { eventNames, parseSse, postJson, rawRequest } from './rawHttp';

const MODES: DifyMode[] = ['chat', 'agent-chat', 'advanced-chat', 'agent', 'workflow', 'completion'];
const keyOf = (mode: DifyMode): string => `app-${mode}`;

let dify: FakeDify;
beforeAll(async () => {
  dify = await startFakeDify({ apps: MODES.map((mode) => ({ apiKey: keyOf(mode), mode })) });
});
afterAll(() => dify.close());

const chat = (body: Record<string, unknown>, key = keyOf('chat')) =>
  postJson(`${dify.baseUrl}/chat-messages`, key, { inputs: {}, response_mode: 'streaming', ...body });
const json = (body: Buffer): Record<string, unknown> => JSON.parse(body.toString('utf8')) as Record<string, unknown>;

describe('auth (§1.1)', () => {
  it.each([
    [undefined, "Authorization header must be provided and start with 'Bearer'"],
    ['nope', 'Access token is invalid'],
  ])('rejects key %p with 401', async (key, message) => {
    const res = await postJson(`${dify.baseUrl}/chat-messages`, key, { inputs: {}, query: 'hi', user: 'u1' });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(json(res.body)).toEqual({ code: 'unauthorized', message, status: 401 });
  });

  it('answers /info and /parameters for a known key', async () => {
    const headers = { Authorization: `Bearer ${keyOf('workflow')}` };
    const info = await rawRequest(`${dify.baseUrl}/info`, { headers });
    expect(json(info.body)).toMatchObject({ mode: 'workflow', tags: [], description: '', author_name: 'fake' });
    const params = json((await rawRequest(`${dify.baseUrl}/parameters`, { headers })).body);
    expect(params).toMatchObject({
      opening_statement: '',
      suggested_questions: [],
      system_parameters: { image_file_size_limit: 10 },
    });
  });
});

describe('validation (§5.2)', () => {
  const cases: Array<[string, () => ReturnType<typeof chat>, number, string, string]> = [
    [
      'non-JSON body',
      () => postJson(`${dify.baseUrl}/chat-messages`, keyOf('chat'), '{oops'),
      400,
      'bad_request',
      'Invalid JSON payload received or JSON payload is empty.',
    ],
    ['missing user', () => chat({ query: 'hi' }), 400, 'invalid_param', 'Arg user must be provided.'],
    ['empty query', () => chat({ query: '', user: 'u1' }), 400, 'invalid_param', 'query is required'],
    [
      'inputs not an object',
      () => chat({ query: 'hi', user: 'u1', inputs: 'x' }),
      400,
      'invalid_param',
      '1 validation error',
    ],
    [
      'agent blocking',
      () => chat({ query: 'hi', user: 'u1', response_mode: 'blocking' }, keyOf('agent-chat')),
      400,
      'invalid_param',
      'Agent Chat App does not support blocking mode',
    ],
    [
      'new agent blocking',
      () => chat({ query: 'hi', user: 'u1', response_mode: undefined }, keyOf('agent')),
      400,
      'bad_request',
      'Agent App only supports streaming',
    ],
    [
      'workflow key on chat route',
      () => chat({ query: 'hi', user: 'u1' }, keyOf('workflow')),
      400,
      'not_chat_app',
      'Please check',
    ],
    [
      'chat key on workflow route',
      () => postJson(`${dify.baseUrl}/workflows/run`, keyOf('chat'), { inputs: {}, user: 'u1' }),
      400,
      'not_workflow_app',
      'Please check',
    ],
    [
      'chat key on completion route',
      () => postJson(`${dify.baseUrl}/completion-messages`, keyOf('chat'), { inputs: {}, user: 'u1' }),
      400,
      'app_unavailable',
      'App unavailable',
    ],
    [
      'unknown conversation',
      () => chat({ query: 'hi', user: 'u1', conversation_id: '0b5e6d8c-1f2a-4b3c-8d4e-5f6a7b8c9d0e' }),
      404,
      'not_found',
      'Conversation Not Exists.',
    ],
  ];
  it.each(cases)('%s', async (_name, send, status, code, messageStart) => {
    const res = await send();
    expect(res.status).toBe(status);
    const body = json(res.body);
    expect(body).toMatchObject({ code, status });
    expect(String(body['message'])).toMatch(new RegExp(`^${messageStart.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });
});

describe('conversations (§1.3)', () => {
  it('creates a UUIDv4 conversation, continues it, and hides it from other users', async () => {
    const first = parseSse((await chat({ query: '一', user: 'alice' })).body.toString('utf8'));
    const id = (first[0] as Record<string, unknown>)['conversation_id'];
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(dify.conversationsOf(keyOf('chat'), 'alice')).toEqual([id]);
    const again = await chat({ query: '二', user: 'alice', conversation_id: id });
    expect(again.status).toBe(200);
    expect(parseSse(again.body.toString('utf8')).every((ev) => ev !== 'ping' && ev['conversation_id'] === id)).toBe(
      true,
    );
    expect((await chat({ query: '三', user: 'bob', conversation_id: id })).status).toBe(404);
    expect(dify.conversationsOf(keyOf('chat'), 'alice')).toHaveLength(1);
  });
});

describe('default replies per mode (§4.4)', () => {
  const expected: Record<DifyMode, string[]> = {
    chat: ['message', 'message', 'message', 'message_end'],
    'agent-chat': ['agent_thought', 'agent_message', 'agent_message', 'agent_message', 'agent_thought', 'message_end'],
    'advanced-chat': [
      'workflow_started',
      'node_started',
      'node_finished',
      'node_started',
      'message',
      'message',
      'message',
      'node_finished',
      'workflow_finished',
      'message_end',
    ],
    agent: ['agent_message', 'agent_message', 'agent_message', 'message', 'message_end'],
    workflow: ['workflow_started', 'text_chunk', 'text_chunk', 'text_chunk', 'workflow_finished'],
    completion: ['message', 'message', 'message', 'message_end'],
  };
  const routeOf = (mode: DifyMode): string =>
    mode === 'workflow' ? '/workflows/run' : mode === 'completion' ? '/completion-messages' : '/chat-messages';

  it.each(MODES)('%s', async (mode) => {
    const res = await postJson(`${dify.baseUrl}${routeOf(mode)}`, keyOf(mode), {
      inputs: { query: '你好' },
      query: '你好',
      user: 'u-modes',
      response_mode: 'streaming',
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const events = parseSse(res.body.toString('utf8')) as Array<Record<string, unknown>>;
    expect(eventNames(events)).toEqual(expected[mode]);
    const taskIds = new Set(events.map((ev) => ev['task_id']));
    expect(taskIds.size).toBe(1);
    if (mode === 'workflow') {
      expect(events.map((ev) => (ev['data'] as Record<string, unknown>)['text']).join('')).toBe('收到：你好');
      expect(events.at(-1)).toMatchObject({ data: { outputs: { result: '收到：你好' } } });
      return;
    }
    const chunks = events.filter((ev) => ev['event'] === 'message' || ev['event'] === 'agent_message');
    const text = mode === 'agent' ? String(chunks.at(-1)?.['answer']) : chunks.map((ev) => ev['answer']).join('');
    expect(text).toBe('收到：你好');
    expect(events.every((ev) => ev['message_id'] === events[0]?.['message_id'])).toBe(true);
    expect(events.every((ev) => 'conversation_id' in ev === (mode !== 'completion'))).toBe(true);
  });

  it('answers blocking chat requests with one JSON document (§3)', async () => {
    const res = await chat({ query: 'abc', user: 'u-block', response_mode: 'blocking' });
    expect(json(res.body)).toMatchObject({ event: 'message', mode: 'chat', answer: '收到：abc' });
  });
});

describe('scripted errors and recording', () => {
  it('returns a scripted 429 once, then the default stream', async () => {
    const body = { code: 'too_many_requests', message: 'Too many requests.', status: 429 };
    dify.script(keyOf('chat'), { kind: 'error', status: 429, body });
    const limited = await chat({ query: 'x', user: 'u-429' });
    expect(limited.status).toBe(429);
    expect(json(limited.body)).toEqual(body);
    expect(dify.conversationsOf(keyOf('chat'), 'u-429')).toEqual([]);
    expect((await chat({ query: 'x', user: 'u-429' })).status).toBe(200);
  });

  it('returns a scripted HTML 502 verbatim', async () => {
    dify.script(keyOf('chat'), { kind: 'error', status: 502, body: '<html>Bad Gateway</html>' });
    const res = await chat({ query: 'x', user: 'u-502' });
    expect([res.status, res.headers['content-type'], res.body.toString()]).toEqual([
      502,
      'text/html; charset=utf-8',
      '<html>Bad Gateway</html>',
    ]);
  });

  it('records every request and filters run requests', async () => {
    const key = keyOf('completion');
    await postJson(`${dify.baseUrl}/completion-messages`, key, {
      inputs: {},
      query: 'q',
      user: 'u-rec',
      response_mode: 'streaming',
    });
    const runs = dify.runRequests(key);
    expect(runs.at(-1)).toMatchObject({
      method: 'POST',
      path: '/completion-messages',
      apiKey: key,
      body: { query: 'q', user: 'u-rec' },
    });
    expect(dify.requests.some((r) => r.path === '/info')).toBe(true);
    expect(
      dify.runRequests().every((r) => ['/chat-messages', '/workflows/run', '/completion-messages'].includes(r.path)),
    ).toBe(true);
  });
});
