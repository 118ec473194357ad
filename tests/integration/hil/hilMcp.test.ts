/**
 * hil-mcp's HIL-server API (hil.md §4.3–4.5) against the gateway with a long-connection bot: the Python
 * and TypeScript clients' requests byte for byte (tests/fakes/hilMcpClients), both URL layouts of
 * hil-clients.md, sessions pushed to the fake long-connection server and answered in the chat.
 */
import { wsText } from '../../fakes/fakeWecomWs';
import { PythonHilClient, TsHilClient } from '../../fakes/hilMcpClients';
import { pngImage } from '../../fakes/images';
import type { Harness } from '../harness';
import { wsChat } from '../wsChat';
import { ghl, lastSeq, markdownOf, pushTo, shortIdOf, startHilHarness, waitConnected } from './hilKit';

const TOKEN = 'hilmcp-path-token-0123456789';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('hil-mcp HIL-server API over the long connection', () => {
  let h: Harness;
  let py: PythonHilClient;
  let ts: TsHilClient;
  beforeAll(async () => {
    h = await startHilHarness({ HIL_MCP_PATH_TOKEN: TOKEN, HIL_DEFAULT_BOT: 'wsbot', HIL_EXPIRY_SWEEP_SECONDS: '1' });
    await waitConnected(h);
    py = new PythonHilClient(`${h.url}/hil/${TOKEN}`);
    ts = new TsHilClient(`${h.url}/hil/${TOKEN}/api`);
  });
  afterAll(() => h.close());

  const quote = (text: string) => ({ msgtype: 'text', text: { content: text } });

  it('send_and_wait_reply (Python layout): the header, the quote hint, a quote reply, then replied', async () => {
    const seq = lastSeq(h);
    const sent = await py.send({
      message: '要不要直接发布？',
      chatId: 'lisi',
      projectName: 'my-project',
      timeout: 1200,
    });
    expect(sent).toEqual({
      status: 200,
      json: { success: true, session_id: expect.stringMatching(UUID), message: '消息发送成功' },
    });
    const sessionId = sent.json['session_id'] as string;
    const text = markdownOf(await pushTo(h, 'lisi', seq));
    const shortId = shortIdOf(text);
    expect(text).toBe(`**[#${shortId} my-project]**\n\n要不要直接发布？\n\n> 请引用回复此消息`);
    expect((await py.poll(sessionId)).json).toEqual({
      session_id: sessionId,
      status: 'waiting',
      has_reply: false,
      replies: [],
      message: '会话状态: waiting',
    });
    const runs = h.dify.runRequests('app-chat').length;
    const reply = await wsChat(h.ws!, wsText('发吧', { userid: 'lisi', quote: quote(text) }));
    expect(reply.final?.content).toBe(`已收到你的回复 [#${shortId}] ✅`);
    const result = await py.waitForReply(sessionId);
    expect(result).toEqual({
      session_id: sessionId,
      status: 'replied',
      has_reply: true,
      replies: [
        {
          msg_type: 'text',
          content: '发吧',
          image_url: null,
          from_user: { userid: 'lisi', name: 'lisi', alias: '' },
          timestamp: expect.any(String),
        },
      ],
      message: '会话状态: replied',
    });
    const [first] = result['replies'] as Array<{ timestamp: string }>;
    expect(new Date(first!.timestamp).toISOString()).toBe(first!.timestamp);
    expect(h.dify.runRequests('app-chat').length).toBe(runs);
  });

  it('the TypeScript layout (<prefix>/api + /send): no project gives a bare [#id] header; an unquoted reply answers', async () => {
    const seq = lastSeq(h);
    const sent = await ts.send({ message: 'Which branch?', chatId: 'wangwu', timeout: 60 });
    expect(sent.json).toMatchObject({ success: true, session_id: expect.stringMatching(UUID) });
    const text = markdownOf(await pushTo(h, 'wangwu', seq));
    expect(text).toBe(`**[#${shortIdOf(text)}]**\n\nWhich branch?\n\n> 请引用回复此消息`);
    const reply = await wsChat(h.ws!, wsText('main', { userid: 'wangwu' }));
    expect(reply.final?.content).toBe(`已收到你的回复 [#${shortIdOf(text)}] ✅`);
    const polled = await ts.poll(sent.json['session_id'] as string);
    expect(polled.json).toMatchObject({ status: 'replied', has_reply: true, replies: [{ content: 'main' }] });
  });

  it('two sessions in one chat: an unquoted reply gets the hint, quoted replies reach their own session', async () => {
    let seq = lastSeq(h);
    const a = await py.send({ message: '问题 A', chatId: 'zhaoliu', projectName: 'alpha' });
    const textA = markdownOf(await pushTo(h, 'zhaoliu', seq));
    seq = lastSeq(h);
    const b = await ts.send({ message: '问题 B', chatId: 'zhaoliu', projectName: 'beta' });
    const textB = markdownOf(await pushTo(h, 'zhaoliu', seq));
    const [idA, idB] = [a.json['session_id'] as string, b.json['session_id'] as string];
    const hint = await wsChat(h.ws!, wsText('好的', { userid: 'zhaoliu' }));
    expect(hint.final?.content).toBe(
      `当前有多个等待回复的请求，请引用回复对应的消息，或以 #编号 开头回复：\n` +
        `[#${shortIdOf(textA)} alpha] 问题 A\n[#${shortIdOf(textB)} beta] 问题 B`,
    );
    expect((await py.poll(idA)).json['status']).toBe('waiting');
    expect((await py.poll(idB)).json['status']).toBe('waiting');
    await wsChat(h.ws!, wsText('答 B', { userid: 'zhaoliu', quote: quote(textB) }));
    expect((await py.poll(idA)).json['status']).toBe('waiting');
    expect((await py.poll(idB)).json).toMatchObject({ status: 'replied', replies: [{ content: '答 B' }] });
    await wsChat(h.ws!, wsText('答 A', { userid: 'zhaoliu', quote: quote(textA) }));
    expect((await py.poll(idA)).json).toMatchObject({ status: 'replied', replies: [{ content: '答 A' }] });
  });

  it('a session past its timeout is not_found; /timeout closes one; unknown ids are not_found', async () => {
    const short = await py.send({ message: '很快过期', chatId: 'sunqi', timeout: 1 });
    const expiring = short.json['session_id'] as string;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await py.poll(expiring)).json).toEqual({
      session_id: expiring,
      status: 'not_found',
      has_reply: false,
      replies: [],
      message: '会话不存在或已过期',
    });
    const seq = lastSeq(h);
    const open = await py.send({ message: '等不到', chatId: 'sunqi' });
    const text = markdownOf(await pushTo(h, 'sunqi', seq));
    const id = open.json['session_id'] as string;
    expect(await py.markTimeout(id)).toEqual({ status: 200, json: { success: true } });
    expect(await ts.markTimeout(id)).toEqual({ status: 200, json: { success: true } });
    expect((await py.poll(id)).json).toMatchObject({ status: 'timeout', has_reply: false });
    const late = await wsChat(h.ws!, wsText('现在回复', { userid: 'sunqi', quote: quote(text) }));
    expect(late.final?.content).toBe(`[#${shortIdOf(text)}] 已取消，无需再回复。`);
    const other = await ghl(h).request('information', { question: '别人的' }, { bot: 'wsbot', userid: 'sunqi' });
    const otherId = (other.answer.json as { id: string }).id;
    for (const unknown of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', otherId])
      expect((await py.poll(unknown)).json).toMatchObject({ status: 'not_found', session_id: unknown });
    expect((await py.markTimeout('00000000-0000-4000-8000-000000000000')).json).toEqual({ success: false });
  });

  it('send_message_only is a plain notice; no chat_id is success:false; a malformed body is 400 JSON', async () => {
    const seq = lastSeq(h);
    const only = await py.send({ message: '构建完成', chatId: 'lisi', projectName: 'ci', waitReply: false });
    expect(only.json).toEqual({ success: true, message: '消息发送成功' });
    expect(markdownOf(await pushTo(h, 'lisi', seq))).toBe('**[ci]**\n\n构建完成');
    expect(await py.send({ message: '给谁？' })).toEqual({
      status: 200,
      json: { success: false, message: '未指定 chat_id', error: '未指定 chat_id' },
    });
    const aibot = await new TsHilClient(`${h.url}/hil/${TOKEN}`).sendAibot({ message: 'x', botKey: 'k' });
    expect(aibot.json).toMatchObject({ success: false, error: '未指定 chat_id' });
    for (const body of ['{"message":', '{"chat_id":"lisi"}', '[1,2]', '{"message":"x","wait_reply":"yes"}']) {
      const bad = await py.raw('POST', '/send', body, 'application/json');
      expect([bad.status, bad.json['success']]).toEqual([400, false]);
    }
  });

  it('images: URLs become links, data URLs a note; upload-image returns a sniffed data URL', async () => {
    const png = await pngImage(2, 2);
    const upload = await py.uploadImage('shot.jpg', png, 'image/jpeg');
    expect(upload).toEqual({
      status: 200,
      json: { success: true, image_url: `data:image/png;base64,${png.toString('base64')}` },
    });
    const seq = lastSeq(h);
    const images = ['https://img.example.com/a.png', upload.json['image_url'] as string];
    await py.send({ message: '看图', chatId: 'lisi', images, projectName: 'img' });
    const text = markdownOf(await pushTo(h, 'lisi', seq));
    expect(text).toContain('看图\n\n[图片1](https://img.example.com/a.png)\n（另有 1 张图片无法在企业微信消息中显示）');
    const notImage = await py.uploadImage('a.txt', Buffer.from('hello'), 'text/plain');
    expect([notImage.status, notImage.json['success']]).toEqual([415, false]);
    const huge = await py.uploadImage('big.png', Buffer.concat([png, Buffer.alloc(11 * 1024 * 1024)]), 'image/png');
    expect([huge.status, huge.json['success']]).toEqual([413, false]);
    const noFile = await py.raw('POST', '/upload-image', 'x', 'multipart/form-data; boundary=abc');
    expect([noFile.status, noFile.json['success']]).toEqual([400, false]);
  });

  it('hil-mcp 0.2.0 given a service URL ending in /api (<prefix>/api/api/<x>) works the same', async () => {
    const doubled = new PythonHilClient(`${h.url}/hil/${TOKEN}/api`);
    const seq = lastSeq(h);
    const sent = await doubled.send({ message: '双 api', chatId: 'qianba', projectName: 'p' });
    expect(sent.json).toMatchObject({ success: true, session_id: expect.stringMatching(UUID) });
    const text = markdownOf(await pushTo(h, 'qianba', seq));
    await wsChat(h.ws!, wsText('收到', { userid: 'qianba', quote: quote(text) }));
    const id = sent.json['session_id'] as string;
    expect((await doubled.poll(id)).json).toMatchObject({ status: 'replied', replies: [{ content: '收到' }] });
    expect((await doubled.markTimeout(id)).json).toEqual({ success: true });
    expect((await doubled.poll(id)).json['status']).toBe('replied');
    const upload = await doubled.uploadImage('a.png', await pngImage(1, 1), 'image/png');
    expect(upload.json['success']).toBe(true);
  });

  it('health at both layouts, the engine probe is a JSON 404, a wrong token is 404', async () => {
    const healthy = { status: 'healthy', mode: 'direct' };
    for (const path of ['health', 'api/health', 'api/api/health']) {
      const res = await fetch(`${h.url}/hil/${TOKEN}/${path}`);
      expect([res.status, await res.json()]).toEqual([200, healthy]);
    }
    const probe = await ts.probeEngines();
    expect([probe.status, probe.json['success']]).toEqual([404, false]);
    const wrong = new PythonHilClient(`${h.url}/hil/${TOKEN.replace(/.$/, 'x')}`);
    expect((await wrong.send({ message: 'x', chatId: 'lisi' })).status).toBe(404);
    expect((await fetch(`${h.url}/hil/short/api/health`)).status).toBe(404);
    expect(h.logText()).not.toContain(TOKEN);
  });

  it('/chatid answers the chat id that a send reads back to the same group', async () => {
    const group = { userid: 'lisi', chattype: 'group' as const, chatid: 'wrhilmcpgroup01' };
    const answer = await wsChat(h.ws!, wsText('/chatid', group));
    expect(answer.final?.content).toBe(
      '当前会话的 chat_id：wsbot/wrhilmcpgroup01\n在 hil-mcp 中使用：--chat-id wsbot/wrhilmcpgroup01',
    );
    const single = await wsChat(h.ws!, wsText('/chatid', { userid: 'lisi' }));
    expect(single.final?.content).toContain('--chat-id wsbot/single:lisi');
    await waitLogged(h, 'wrhilmcpgroup01');
    const seq = lastSeq(h);
    const sent = await py.send({ message: '群里问', chatId: 'wsbot/wrhilmcpgroup01' });
    const pushed = await pushTo(h, 'wrhilmcpgroup01', seq);
    expect(markdownOf(pushed)).toContain('群里问');
    await wsChat(h.ws!, wsText('我来答', { ...group, userid: 'zhangsan' }));
    expect((await py.poll(sent.json['session_id'] as string)).json).toMatchObject({
      status: 'replied',
      replies: [{ content: '我来答', from_user: { userid: 'zhangsan' } }],
    });
  });
});

/** The message log is written in the background: wait until the group is known there. */
async function waitLogged(h: Harness, chatid: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    const { rows } = await h.db.query('SELECT 1 FROM messages WHERE chatid = $1', [chatid]);
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${chatid} was never logged`);
}
