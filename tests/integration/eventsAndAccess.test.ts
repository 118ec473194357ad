/**
 * Events, feedback, access rules and conversation commands through the encrypted callback path
 * (issue #6), with the fake Dify recording what reached it.
 */
import { DEFAULT_TEXTS } from '../../app/config/texts';
import { enterChatPayload, feedbackEventPayload } from '../fakes/fakeWecom';
import { type Harness, startHarness } from './harness';

const POLL = { pollIntervalMs: 20, maxPolls: 500 };

function runsOf(h: Harness, user: string): Array<{ query: string; conversation_id: string }> {
  return h.dify
    .runRequests('app-chat')
    .map((r) => r.body as { query: string; user: string; conversation_id: string })
    .filter((b) => b.user === user);
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 250; i += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('events and feedback', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { WECOM_WELCOME_TEXT: '你好，我是知识库助手。直接提问即可。' } });
  });
  afterAll(() => h.close());

  it('answers enter_chat with the configured welcome text', async () => {
    const client = h.wecom();
    const result = await client.post(enterChatPayload({ aibotid: client.aibotid }));
    expect(result.reply).toEqual({ msgtype: 'text', text: { content: '你好，我是知识库助手。直接提问即可。' } });
  });

  it('puts a feedback id on the first reply and forwards each rating to Dify with the same user', async () => {
    h.dify.script('app-chat', {
      kind: 'stream',
      events: [
        { event: 'message', message_id: 'msg-rated-1', answer: '答案' },
        { event: 'message_end', message_id: 'msg-rated-1' },
      ],
    });
    const client = h.wecom();
    const t = await client.chat('需要评价的问题', { ...POLL, userid: 'rater' });
    expect(t.first.feedback?.id).toBe(t.first.id);
    const feedbackPosts = (): Array<Record<string, unknown>> =>
      h.dify.requests
        .filter((r) => r.path === '/messages/msg-rated-1/feedbacks')
        .map((r) => r.body as Record<string, unknown>);
    const events = [
      { id: t.first.id, type: 2 as const, content: '能再详细一些么', inaccurate_reason_list: [2, 4] },
      { id: t.first.id, type: 1 as const },
      { id: t.first.id, type: 3 as const },
    ];
    for (const [i, event] of events.entries()) {
      const reply = await client.post(feedbackEventPayload(event, { aibotid: client.aibotid, userid: 'rater' }));
      expect([reply.status, reply.text]).toEqual([200, '']);
      await waitFor(() => feedbackPosts().length === i + 1, 'the feedback call');
    }
    expect(feedbackPosts()).toEqual([
      { rating: 'dislike', user: 'wecom:aibFAKEBOT0001:rater', content: '回答不完整、数据分析有误：能再详细一些么' },
      { rating: 'like', user: 'wecom:aibFAKEBOT0001:rater' },
      { rating: null, user: 'wecom:aibFAKEBOT0001:rater' },
    ]);
  });

  it('drops feedback for an unknown id with a log line and no Dify call', async () => {
    const client = h.wecom();
    const before = h.dify.requests.length;
    const reply = await client.post(feedbackEventPayload({ id: 's_unknown', type: 1 }, { aibotid: client.aibotid }));
    expect([reply.status, reply.text]).toEqual([200, '']);
    await waitFor(() => h.logs.some((l) => l['msg'] === 'feedback for an unknown answer dropped'), 'the log line');
    expect(h.dify.requests.length).toBe(before);
  });
});

describe('access rules, limits and commands', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: {
        ACCESS_DENY_USERS: 'blocked',
        ACCESS_ALLOW_USERS: 'vip,regular,busy,fast,resetter',
        ACCESS_ALLOW_CHATS: 'wrTEAM',
        USER_MESSAGES_PER_MINUTE: '3',
        USER_CONCURRENT_TURNS: '1',
      },
    });
  });
  afterAll(() => h.close());

  it('refuses a denied user, and a user missing from the allow list, without calling Dify', async () => {
    for (const userid of ['blocked', 'stranger']) {
      const t = await h.wecom().chat('你好', { ...POLL, userid });
      expect(t.first).toMatchObject({ finish: true, content: DEFAULT_TEXTS.ACCESS_DENIED });
      expect(runsOf(h, `wecom:aibFAKEBOT0001:${userid}`)).toHaveLength(0);
    }
  });

  it('applies rules kept in the store on top of the environment', async () => {
    expect((await h.wecom().chat('你好', { ...POLL, userid: 'vip' })).final?.content).toBe('收到：你好');
    await h.db.query("INSERT INTO access_rules (agent_id, rule, value) VALUES ('default', 'deny_user', 'vip')");
    await h.gateway.accessRules.refresh();
    const t = await h.wecom().chat('还在吗', { ...POLL, userid: 'vip' });
    expect(t.first).toMatchObject({ finish: true, content: DEFAULT_TEXTS.ACCESS_DENIED });
    expect(runsOf(h, 'wecom:aibFAKEBOT0001:vip')).toHaveLength(1);
  });

  it('lets anyone in an allowed group chat through', async () => {
    const t = await h.wecom().chat('@Bot 你好', { ...POLL, userid: 'stranger2', chattype: 'group', chatid: 'wrTEAM' });
    expect(t.final?.content).toBe('收到：你好');
  });

  it('refuses the fourth message within a minute with a notice', async () => {
    const client = h.wecom();
    for (let i = 1; i <= 3; i += 1)
      expect((await client.chat(`问题${i}`, { ...POLL, userid: 'fast' })).final?.content).toBe(`收到：问题${i}`);
    const fourth = await client.chat('问题4', { ...POLL, userid: 'fast' });
    expect(fourth.first).toMatchObject({ finish: true, content: DEFAULT_TEXTS.RATE_LIMITED });
    expect(runsOf(h, 'wecom:aibFAKEBOT0001:fast')).toHaveLength(3);
  });

  it('refuses a second message while the user already has a turn running', async () => {
    h.dify.script('app-chat', {
      kind: 'stream',
      events: [{ event: 'message', answer: '慢' }, { event: 'message_end' }],
      headerDelayMs: 600,
    });
    const client = h.wecom();
    const first = await client.sendText('慢问题', { userid: 'busy' });
    const second = await client.chat('再问一个', { ...POLL, userid: 'busy' });
    expect(second.first).toMatchObject({ finish: true, content: DEFAULT_TEXTS.TOO_MANY_RUNNING });
    expect(first.status).toBe(200);
    expect(runsOf(h, 'wecom:aibFAKEBOT0001:busy')).toHaveLength(1);
  });

  it('starts a fresh Dify conversation on "/new" and confirms it', async () => {
    const client = h.wecom();
    await client.chat('第一句', { ...POLL, userid: 'resetter' });
    // The embedded store writes the conversation with the turn's final message-log row, in the next batch.
    const stored = async (): Promise<number> =>
      (await h.db.query("SELECT 1 FROM conversations WHERE dify_user = 'wecom:aibFAKEBOT0001:resetter'")).rows.length;
    for (let i = 0; i < 50 && (await stored()) === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await stored()).toBe(1);
    const reset = await client.chat('新对话', { ...POLL, userid: 'resetter' });
    expect(reset.first).toMatchObject({ finish: true, content: DEFAULT_TEXTS.NEW_CONVERSATION_STARTED });
    await client.chat('第二句', { ...POLL, userid: 'resetter' });
    const runs = runsOf(h, 'wecom:aibFAKEBOT0001:resetter');
    expect(runs.map((r) => r.query)).toEqual(['第一句', '第二句']);
    expect(runs[1]?.conversation_id).toBe('');
  });
});
