/**
 * hil-mcp's HIL-server API with a callback bot (encrypted callbacks, hil.md §7.2): a session goes out
 * through the fresh response_url the person's last message left, or waits queued for their next message
 * (which it must not take as its answer); the answer is an encrypted quote reply. Without
 * HIL_MCP_PATH_TOKEN the API does not exist.
 */
import { PythonHilClient } from '../../fakes/hilMcpClients';
import type { Harness } from '../harness';
import { postTo, shortIdOf, startHilHarness } from './hilKit';

const TOKEN = 'cb-hilmcp-token-abcdefghijkl';
const POLL = { pollIntervalMs: 20, maxPolls: 500 };

function markdownPosted(body: Record<string, unknown>): string {
  return (body['markdown'] as { content: string }).content;
}

describe('hil-mcp HIL-server API with a callback bot', () => {
  let h: Harness;
  let py: PythonHilClient;
  beforeAll(async () => {
    h = await startHilHarness({ HIL_MCP_PATH_TOKEN: TOKEN });
    py = new PythonHilClient(`${h.url}/hil/${TOKEN}`);
  });
  afterAll(() => h.close());

  it('a session posted to the fresh response_url of the chat, answered by an encrypted quote reply', async () => {
    const wecom = h.wecom();
    await wecom.chat('你好', { ...POLL, userid: 'cbmcp1', responseUrl: h.responseUrls.url('mcp0') });
    const sent = await py.send({ message: '可以合并吗？', chatId: '*/cbmcp1', projectName: 'repo', timeout: 1200 });
    expect(sent.json).toMatchObject({ success: true, message: '消息发送成功' });
    const text = markdownPosted(await postTo(h, 'mcp0'));
    expect(text).toBe(`**[#${shortIdOf(text)} repo]**\n\n可以合并吗？\n\n> 请引用回复此消息`);
    const runs = h.dify.runRequests('app-chat').length;
    const quote = { msgtype: 'text', text: { content: text } };
    const reply = await wecom.chat('可以', { ...POLL, userid: 'cbmcp1', quote });
    expect(reply.final?.content).toBe(`已收到你的回复 [#${shortIdOf(text)}] ✅`);
    expect(h.dify.runRequests('app-chat').length).toBe(runs);
    expect(await py.waitForReply(sent.json['session_id'] as string)).toMatchObject({
      status: 'replied',
      has_reply: true,
      replies: [{ msg_type: 'text', content: '可以', from_user: { userid: 'cbmcp1' } }],
    });
  });

  it('queued until the person writes: their message goes to Dify, the session goes out after it', async () => {
    const wecom = h.wecom();
    const sent = await py.send({ message: '部署到哪个环境？', chatId: '*/cbmcp2' });
    expect(sent.json).toMatchObject({ success: true, message: '消息已排队，将在对方下次联系机器人时送达' });
    const id = sent.json['session_id'] as string;
    const runs = h.dify.runRequests('app-chat').length;
    await wecom.chat('在吗', { ...POLL, userid: 'cbmcp2', responseUrl: h.responseUrls.url('mcp1') });
    expect(h.dify.runRequests('app-chat').length).toBe(runs + 1);
    expect((await py.poll(id)).json['status']).toBe('waiting');
    const text = markdownPosted(await postTo(h, 'mcp1'));
    expect(text).toContain('部署到哪个环境？');
    await wecom.chat('生产', { ...POLL, userid: 'cbmcp2' });
    expect((await py.poll(id)).json).toMatchObject({ status: 'replied', replies: [{ content: '生产' }] });
  });

  it('send_message_only to a chat the callback bot cannot reach now is success:false with the reason', async () => {
    expect((await py.send({ message: '通知', chatId: '*/cbmcp3', waitReply: false })).json).toEqual({
      success: false,
      message: '发送失败：机器人现在无法主动联系该会话：回调模式的机器人需要对方先给机器人发一条消息',
      error: 'no_response_url',
    });
  });
});

describe('hil-mcp HIL-server API without HIL_MCP_PATH_TOKEN', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHilHarness();
  });
  afterAll(() => h.close());

  it('is not there: every path under /hil is 404', async () => {
    const py = new PythonHilClient(`${h.url}/hil/${TOKEN}`);
    expect((await py.send({ message: 'x', chatId: '*/u' })).status).toBe(404);
    expect((await fetch(`${h.url}/hil/${TOKEN}/health`)).status).toBe(404);
    expect((await py.poll('00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});
