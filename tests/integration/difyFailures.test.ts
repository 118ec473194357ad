/**
 * Whatever Dify does, the WeCom stream ends with a clear message (issue #2 "What a user must see").
 * The fake Dify is a real HTTP server; each case scripts what it writes on the wire.
 */
import { DEFAULT_TEXTS } from '../../app/config/texts';
import { type Harness, startHarness } from './harness';

const POLL = { pollIntervalMs: 20, maxPolls: 500 };

function answerEvents(...parts: string[]): Array<Record<string, unknown>> {
  return parts.map((answer) => ({ event: 'message', answer }));
}

describe('Dify failures end the stream with a notice', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ idleTimeoutMs: 400 });
  });
  afterAll(() => h.close());

  it('keeps the partial answer and adds a notice on an in-stream error event', async () => {
    h.dify.script('app-chat', { kind: 'fixture', name: 'F6', chunking: 'event', delayMs: 10 });
    const t = await h.wecom().chat('制度问题', POLL);
    expect(t.final?.content).toBe(`根据公司制度，\n\n${DEFAULT_TEXTS.ANSWER_FAILED}`);
  });

  it('keeps the partial answer and says it was interrupted when the connection drops', async () => {
    h.dify.script('app-chat', { kind: 'stream', events: answerEvents('第一段，', '第二段'), end: 'destroy' });
    const t = await h.wecom().chat('长问题', POLL);
    expect(t.final?.content).toBe(`第一段，第二段\n\n${DEFAULT_TEXTS.INTERRUPTED}`);
  });

  it('retries a 429 too_many_requests and then answers', async () => {
    const before = h.dify.runRequests('app-chat').length;
    h.dify.script(
      'app-chat',
      {
        kind: 'error',
        status: 429,
        body: { code: 'too_many_requests', message: 'Too many requests. Please try again later.', status: 429 },
      },
      { kind: 'stream', events: [...answerEvents('重试后的回答'), { event: 'message_end' }] },
    );
    const t = await h.wecom().chat('忙吗', POLL);
    expect(t.final?.content).toBe('重试后的回答');
    expect(h.dify.runRequests('app-chat').length - before).toBe(2);
  });

  it('tells the user the agent is busy when 429 persists after the retries', async () => {
    const busy = {
      kind: 'error' as const,
      status: 429,
      body: { code: 'too_many_requests', message: 'Too many requests.', status: 429 },
    };
    h.dify.script('app-chat', busy, busy, busy);
    const t = await h.wecom().chat('忙吗', POLL);
    expect(t.final?.content).toBe(DEFAULT_TEXTS.AGENT_BUSY);
  });

  it('tells the user to contact an admin when Dify rejects the API key', async () => {
    h.dify.script('app-chat', {
      kind: 'error',
      status: 401,
      body: { code: 'unauthorized', message: 'Access token is invalid', status: 401 },
    });
    const t = await h.wecom().chat('你好', POLL);
    expect(t.final?.content).toBe(DEFAULT_TEXTS.AGENT_MISCONFIGURED);
  });

  it('says the service is unavailable on a proxy 502 HTML page', async () => {
    const page = {
      kind: 'error' as const,
      status: 502,
      body: '<html><body>502 Bad Gateway</body></html>',
      contentType: 'text/html',
    };
    h.dify.script('app-chat', page, page, page);
    const t = await h.wecom().chat('你好', POLL);
    expect(t.final?.content).toBe(DEFAULT_TEXTS.AGENT_UNAVAILABLE);
  });

  it('times out a Dify that stops sending bytes and keeps what had arrived', async () => {
    h.dify.script('app-chat', { kind: 'stream', events: answerEvents('开始回答'), end: 'hang' });
    const t = await h.wecom().chat('慢问题', POLL);
    expect(t.final?.content).toBe(`开始回答\n\n${DEFAULT_TEXTS.TIMEOUT}`);
    // The abandoned run is stopped on the Dify side too (dify-api.md §5.4).
    const stop = h.dify.requests.find((r) => r.path.endsWith('/stop'));
    expect(stop?.body).toMatchObject({ user: 'wecom:aibFAKEBOT0001:zhangsan' });
  });

  it('says the agent gave no answer when Dify finishes with empty text', async () => {
    h.dify.script('app-chat', { kind: 'stream', events: [{ event: 'message_end' }] });
    const t = await h.wecom().chat('空的', POLL);
    expect(t.final?.content).toBe(DEFAULT_TEXTS.EMPTY_ANSWER);
  });

  it('starts a fresh conversation transparently when Dify no longer has the stored one', async () => {
    const client = h.wecom();
    const user = 'wecom:aibFAKEBOT0001:zhaoliu';
    await client.chat('第一次', { ...POLL, userid: 'zhaoliu' });
    const [old] = h.dify.conversationsOf('app-chat', user);
    h.dify.forgetConversations('app-chat', user);
    const t = await client.chat('第二次', { ...POLL, userid: 'zhaoliu' });
    expect(t.final?.content).toContain('收到：第二次');
    const runs = h.dify
      .runRequests('app-chat')
      .slice(-2)
      .map((r) => r.body as { conversation_id: string });
    expect(runs.map((r) => r.conversation_id)).toEqual([old, '']);
    const third = await client.chat('第三次', { ...POLL, userid: 'zhaoliu' });
    expect(third.final?.content).toContain('收到：第三次');
    const [fresh] = h.dify.conversationsOf('app-chat', user);
    expect((h.dify.runRequests('app-chat').at(-1)?.body as { conversation_id: string }).conversation_id).toBe(fresh);
  });
});

describe('Dify unreachable', () => {
  it('answers with the unavailable notice after the retries, and keeps serving', async () => {
    const h = await startHarness({ env: { DIFY_API_BASE_URL: 'http://127.0.0.1:9/v1' } });
    try {
      const t = await h.wecom().chat('有人吗', POLL);
      expect(t.final?.content).toBe(DEFAULT_TEXTS.AGENT_UNAVAILABLE);
      const again = await h.wecom().chat('还在吗', POLL);
      expect(again.final?.finish).toBe(true);
    } finally {
      await h.close();
    }
  });
});
