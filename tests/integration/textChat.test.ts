/**
 * A WeCom user writes to the bot and sees the answer grow until it finishes: the real HTTP surface,
 * a fake WeCom client that encrypts like WeCom, and a fake Dify that is an HTTP server writing SSE.
 */
import { voicePayload } from '../fakes/fakeWecom';
import { type Harness, startHarness } from './harness';

const POLL = { pollIntervalMs: 20, maxPolls: 500 };

describe('text chat end to end', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      apps: [
        { apiKey: 'app-chat', mode: 'chat' },
        { apiKey: 'app-agent', mode: 'agent-chat' },
        { apiKey: 'app-flow', mode: 'advanced-chat' },
        { apiKey: 'app-work', mode: 'workflow' },
      ],
      agents: { agent: { apiKey: 'app-agent' }, flow: { apiKey: 'app-flow' }, work: { apiKey: 'app-work' } },
      env: { WECOM_AIBOT_AGENT_MAPPING: JSON.stringify({ aibAGENT: 'agent', aibFLOW: 'flow', aibWORK: 'work' }) },
    });
  });
  afterAll(() => h.close());

  it('answers the first message at once with the thinking text, then streams the chat app answer to the end', async () => {
    h.dify.script('app-chat', { kind: 'fixture', name: 'F1', chunking: { bytes: 7 }, delayMs: 5 });
    const t = await h.wecom().chat('你好', POLL);
    expect(t.first.finish).toBe(false);
    expect(t.first.content).toBe('正在思考中...');
    expect(t.final?.content).toBe('你好！我是企业助手，有什么可以帮你的吗？');
    // Snapshots are full texts that only grow, and nothing comes after the finish.
    const contents = t.snapshots.map((s) => s.content).filter((c) => c !== '正在思考中...');
    for (let i = 1; i < contents.length; i += 1) expect(contents[i]?.startsWith(contents[i - 1] as string)).toBe(true);
    expect(t.snapshots[t.snapshots.length - 1]?.finish).toBe(true);
    const run = h.dify.runRequests('app-chat').at(-1);
    expect(run?.body).toMatchObject({
      query: '你好',
      response_mode: 'streaming',
      user: 'wecom:aibFAKEBOT0001:zhangsan',
      conversation_id: '',
    });
  });

  it('answers an agent app from agent_message events without repeating the final thought', async () => {
    h.dify.script('app-agent', { kind: 'fixture', name: 'F2', chunking: 'random' });
    const t = await h.wecom('/wecom/callback/bot1', undefined, 'aibAGENT').chat('现在几点', POLL);
    expect(t.final?.content).toBe('现在是北京时间 2026-01-10 09:21（星期六）。');
  });

  it('answers a chatflow app and finishes on EOF whatever the order of its terminal events', async () => {
    h.dify.script('app-flow', { kind: 'fixture', name: 'F3', chunking: 'event' });
    const t = await h.wecom('/wecom/callback/bot1', undefined, 'aibFLOW').chat('报销流程是什么？', POLL);
    expect(t.final?.content).toBe('报销分三步：1. 在审批应用提交报销单；2. 直属上级审批；3. 财务打款。');
  });

  it('answers a workflow app from text_chunk events, with the question in the query input', async () => {
    h.dify.script('app-work', { kind: 'fixture', name: 'F7', chunking: 'glued' });
    const t = await h.wecom('/wecom/callback/bot1', undefined, 'aibWORK').chat('Hello', POLL);
    expect(t.final?.content).toBe('Bonjour，世界');
    const run = h.dify.runRequests('app-work').at(-1);
    expect(run?.path).toBe('/workflows/run');
    expect(run?.body).toMatchObject({ inputs: { query: 'Hello' }, response_mode: 'streaming' });
  });

  it('shows reasoning as a <think> section and the answer after it', async () => {
    h.dify.script('app-chat', { kind: 'fixture', name: 'F5', chunking: { bytes: 3 } });
    const t = await h.wecom().chat('你好', POLL);
    expect(t.final?.content).toBe('<think>用户在打招呼，我应该友好地回应。</think>\n你好！很高兴见到你。');
  });

  it('renders the legacy <details> thinking wrapper as a <think> section', async () => {
    // F5b ends without message_end: EOF without a terminal event is flagged as possibly incomplete.
    h.dify.script('app-chat', { kind: 'fixture', name: 'F5b', chunking: { bytes: 5 } });
    const t = await h.wecom().chat('你好', POLL);
    expect(t.final?.content).toBe(
      '<think>用户在打招呼。</think>\n你好！\n\n（回答中断，内容可能不完整，请稍后重试。）',
    );
  });

  it('continues the same Dify conversation on the next message', async () => {
    const client = h.wecom();
    const first = await client.chat('第一个问题', { ...POLL, userid: 'lisi' });
    expect(first.final?.content).toContain('收到：第一个问题');
    const second = await client.chat('第二个问题', { ...POLL, userid: 'lisi' });
    expect(second.final?.content).toContain('收到：第二个问题');
    const runs = h.dify
      .runRequests('app-chat')
      .filter((r) => (r.body as { user?: string }).user === 'wecom:aibFAKEBOT0001:lisi');
    expect(runs).toHaveLength(2);
    const conversations = h.dify.conversationsOf('app-chat', 'wecom:aibFAKEBOT0001:lisi');
    expect(conversations).toHaveLength(1);
    expect((runs[1]?.body as { conversation_id?: string }).conversation_id).toBe(conversations[0]);
  });

  it('strips the @-mention in a group and shares one conversation per group', async () => {
    const client = h.wecom();
    const chatid = 'wrGROUP0001';
    await client.chat('@RobotA 帮我总结一下', { ...POLL, chattype: 'group', chatid, userid: 'u1' });
    await client.chat('再详细一点@RobotA ', { ...POLL, chattype: 'group', chatid, userid: 'u2' });
    const runs = h.dify
      .runRequests('app-chat')
      .slice(-2)
      .map((r) => r.body as { query: string; user: string; conversation_id: string });
    expect(runs.map((r) => r.query)).toEqual(['帮我总结一下', '再详细一点']);
    expect(runs.map((r) => r.user)).toEqual([
      'wecom:aibFAKEBOT0001:group:wrGROUP0001',
      'wecom:aibFAKEBOT0001:group:wrGROUP0001',
    ]);
    expect(runs[1]?.conversation_id).not.toBe('');
  });

  it('answers a voice message with its transcript as the question', async () => {
    const client = h.wecom();
    const t = await client.chatPayload(
      voicePayload('语音转成的文字', { aibotid: client.aibotid, userid: 'wangwu' }),
      POLL,
    );
    expect(t.final?.content).toContain('收到：语音转成的文字');
  });
});
