/**
 * One turn implementation behind both channels (issue #8 "Done when"): the same scenarios run against
 * the encrypted callback (WeCom polls) and the WebSocket long connection (the gateway pushes), in one
 * process that has a bot of each kind. Answers, notices, feedback ids and Dify conversations must match.
 */
import { DEFAULT_TEXTS } from '../../app/config/texts';
import type { StreamReply } from '../fakes/fakeWecom';
import { WS_BOT_ID, wsText } from '../fakes/fakeWecomWs';
import { type Harness, startHarness } from './harness';
import { wsChat } from './wsChat';

const POLL = { pollIntervalMs: 20, maxPolls: 500 };

interface Answer {
  readonly first: StreamReply;
  readonly snapshots: StreamReply[];
  readonly final?: StreamReply | undefined;
}

interface Channel {
  readonly name: string;
  /** The aibotid its messages carry (the Dify user is derived from it). */
  readonly aibotid: string;
  ask(h: Harness, text: string, userid: string, group?: string): Promise<Answer>;
}

const inGroup = (chatid: string | undefined): { chattype?: 'group'; chatid?: string } =>
  chatid === undefined ? {} : { chattype: 'group', chatid };

const CHANNELS: Channel[] = [
  {
    name: 'callback',
    aibotid: 'aibFAKEBOT0001',
    ask: (h, text, userid, group) => h.wecom().chat(text, { ...POLL, userid, ...inGroup(group) }),
  },
  {
    name: 'websocket',
    aibotid: WS_BOT_ID,
    ask: (h, text, userid, group) =>
      wsChat(h.ws as NonNullable<Harness['ws']>, wsText(text, { userid, ...inGroup(group) })),
  },
];

function answerEvents(...parts: string[]): Array<Record<string, unknown>> {
  return parts.map((answer) => ({ event: 'message', answer }));
}

describe.each(CHANNELS)('the $name channel runs the shared turn', (channel) => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ websocket: true, idleTimeoutMs: 400 });
    await h.ws?.waitForSubscribed(WS_BOT_ID);
  });
  afterAll(() => h.close());

  it('answers at once with the thinking text and a feedback id, then the growing answer, finish last', async () => {
    h.dify.script('app-chat', { kind: 'fixture', name: 'F1', chunking: { bytes: 7 }, delayMs: 5 });
    const t = await channel.ask(h, '你好', 'u-stream');
    expect(t.first).toMatchObject({ finish: false, content: DEFAULT_TEXTS.THINKING, feedback: { id: t.first.id } });
    expect(t.final?.content).toBe('你好！我是企业助手，有什么可以帮你的吗？');
    const contents = t.snapshots.map((s) => s.content).filter((c) => c !== DEFAULT_TEXTS.THINKING);
    for (let i = 1; i < contents.length; i += 1) expect(contents[i]?.startsWith(contents[i - 1] as string)).toBe(true);
    expect(t.snapshots.at(-1)?.finish).toBe(true);
    expect(new Set(t.snapshots.map((s) => s.id))).toEqual(new Set([t.first.id]));
    expect(h.dify.runRequests('app-chat').at(-1)?.body).toMatchObject({
      query: '你好',
      user: `wecom:${channel.aibotid}:u-stream`,
    });
  });

  it('keeps the partial answer and adds the notice on an in-stream Dify error', async () => {
    h.dify.script('app-chat', { kind: 'fixture', name: 'F6', chunking: 'event', delayMs: 10 });
    const t = await channel.ask(h, '制度问题', 'u-error');
    expect(t.final?.content).toBe(`根据公司制度，\n\n${DEFAULT_TEXTS.ANSWER_FAILED}`);
  });

  it('says the agent is unavailable when Dify answers 502 every time', async () => {
    const page = { kind: 'error' as const, status: 502, body: '<html>502</html>', contentType: 'text/html' };
    h.dify.script('app-chat', page, page, page);
    const t = await channel.ask(h, '你好', 'u-down');
    expect(t.final?.content).toBe(DEFAULT_TEXTS.AGENT_UNAVAILABLE);
  });

  it('times out a Dify that stops sending and keeps what had arrived', async () => {
    h.dify.script('app-chat', { kind: 'stream', events: answerEvents('开始回答'), end: 'hang' });
    const t = await channel.ask(h, '慢问题', 'u-hang');
    expect(t.final?.content).toBe(`开始回答\n\n${DEFAULT_TEXTS.TIMEOUT}`);
  });

  it('continues the same Dify conversation on the next message', async () => {
    await channel.ask(h, '第一个问题', 'u-continue');
    const firstRun = h.dify.runRequests('app-chat').at(-1)?.body as { conversation_id: string };
    const second = await channel.ask(h, '第二个问题', 'u-continue');
    expect(second.final?.content).toContain('收到：第二个问题');
    const secondRun = h.dify.runRequests('app-chat').at(-1)?.body as { conversation_id: string };
    expect(firstRun.conversation_id).toBe('');
    expect(secondRun.conversation_id).not.toBe('');
  });

  it('answers an @-mention in a group, without the mention, in the group conversation', async () => {
    const t = await channel.ask(h, '@助手 周报模板', 'u-group', 'wrGROUP01');
    expect(t.final?.content).toContain('收到：周报模板');
    expect(h.dify.runRequests('app-chat').at(-1)?.body).toMatchObject({
      query: '周报模板',
      user: `wecom:${channel.aibotid}:group:wrGROUP01`,
    });
  });

  it('answers a new-conversation command at once, without running the agent', async () => {
    const before = h.dify.runRequests('app-chat').length;
    const t = await channel.ask(h, '/new', 'u-new');
    expect(t.first).toMatchObject({ finish: true, content: DEFAULT_TEXTS.NEW_CONVERSATION_STARTED });
    expect(h.dify.runRequests('app-chat').length).toBe(before);
  });

  it('writes the same message log row', async () => {
    const t = await channel.ask(h, '记一下', 'u-log');
    await h.gateway.turns.drain(1000);
    const rows = await waitForRow(h, t.first.id);
    expect(rows).toMatchObject({ status: 'answered', msgtype: 'text', userid: 'u-log', aibotid: channel.aibotid });
  });
});

async function waitForRow(h: Harness, streamId: string): Promise<Record<string, unknown> | undefined> {
  for (let i = 0; i < 50; i += 1) {
    const { rows } = await h.db.query<Record<string, unknown>>(
      'SELECT status, msgtype, userid, aibotid FROM messages WHERE stream_id = $1',
      [streamId],
    );
    if (rows[0] !== undefined && rows[0]['status'] !== 'running') return rows[0];
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}
