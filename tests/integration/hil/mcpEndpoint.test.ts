/**
 * The remote MCP endpoint (issue #15 scope 2) driven by the official SDK client over Streamable HTTP:
 * the four tools, delivery through both bot kinds, answers captured from WeCom, and who may use a session.
 */
import { wsCardEvent, wsText } from '../../fakes/fakeWecomWs';
import type { HilRequest } from '../../../app/hil/store/hilRequests';
import type { Harness } from '../harness';
import { WS_BOT } from '../harness';
import { wsChat } from '../wsChat';
import { answerTo, cardOf, lastSeq, markdownOf, postTo, pushTo, shortIdOf, updatedCard } from './hilKit';
import {
  API_KEY,
  type Connected,
  INIT,
  MCP_USER,
  OTHER_KEY,
  connect,
  deliveredNamed,
  post,
  requestNamed,
  startMcpHarness,
  structured,
} from './mcpKit';

const POLL = { pollIntervalMs: 20, maxPolls: 500 };

async function turnsDone(h: Harness): Promise<void> {
  for (let i = 0; i < 200 && h.gateway.turns.activeTurns > 0; i += 1) await new Promise((r) => setTimeout(r, 25));
}

async function deliveredSoon(h: Harness, text: string): Promise<HilRequest> {
  for (let i = 0; i < 200; i += 1) {
    const request = await requestNamed(h, text);
    if (request.delivery === 'delivered') return request;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the request was never marked delivered');
}

async function stored(h: Harness, cardTaskId: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if ((await h.gateway.hil.requests.byCardTaskId(WS_BOT.key, cardTaskId)) !== undefined) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the card task id was never stored');
}

describe('the remote MCP endpoint', () => {
  let h: Harness;
  let mcp: Connected;
  beforeAll(async () => {
    h = await startMcpHarness();
    mcp = await connect(h);
  });
  afterAll(async () => {
    await mcp.client.close();
    await h.close();
  });

  it('lists the four tools, each with input and output schemas; waiting tools say progress is needed', async () => {
    const { tools } = await mcp.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'request_approval',
      'request_information',
      'send_and_wait_reply',
      'send_message_only',
    ]);
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect(byName.get('send_and_wait_reply')?.inputSchema).toMatchObject({
      properties: { message: { type: 'string' }, chat_id: {}, project_name: {}, timeout_seconds: {} },
      required: ['message'],
    });
    expect(byName.get('request_approval')?.outputSchema?.properties).toHaveProperty('responded_by');
    for (const name of ['send_and_wait_reply', 'request_approval', 'request_information'])
      expect(byName.get(name)?.description).toMatch(/resetTimeoutOnProgress[\s\S]*every 15 s/);
    expect(mcp.transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("send_message_only goes to the key's default chat as an aibot_send_msg push", async () => {
    const seq = lastSeq(h);
    const result = await mcp.client.callTool({
      name: 'send_message_only',
      arguments: { message: '构建完成', project_name: 'my-project' },
    });
    expect(result.isError).toBeFalsy();
    expect(structured(result)).toEqual({ status: 'success', message: 'message sent' });
    const frame = await pushTo(h, MCP_USER, seq);
    expect(frame.body).toMatchObject({ chatid: MCP_USER, msgtype: 'markdown' });
    expect(markdownOf(frame)).toBe('**[my-project]**\n\n构建完成');
  });

  it('a key without a default chat and no chat_id: an isError result, and nobody is asked', async () => {
    const other = await connect(h, OTHER_KEY);
    const before = (await h.gateway.hil.requests.list({ skip: 0, limit: 1 })).count;
    const result = await other.client.callTool({ name: 'send_and_wait_reply', arguments: { message: '在吗' } });
    expect(result.isError).toBe(true);
    expect(structured(result)).toMatchObject({
      status: 'error',
      replies: [],
      message: expect.stringMatching(/chat_id/),
    });
    const approval = await other.client.callTool({ name: 'request_approval', arguments: { question: '发布？' } });
    expect(approval.isError).toBe(true);
    expect(approval.structuredContent).toBeUndefined();
    expect((await h.gateway.hil.requests.list({ skip: 0, limit: 1 })).count).toBe(before);
    await other.client.close();
  });

  it('send_and_wait_reply through a callback bot is answered by an encrypted quote reply', async () => {
    // A callback bot cannot speak first: the person wrote to it, so a fresh response_url is in the book.
    const wecom = h.wecom();
    await wecom.chat('在吗', { ...POLL, userid: 'cbmcp', responseUrl: h.responseUrls.url('mcp-fresh') });
    await turnsDone(h);
    const call = mcp.client.callTool({
      name: 'send_and_wait_reply',
      arguments: { message: '要不要直接发布？', chat_id: '*/single:cbmcp', project_name: 'my-project' },
    });
    const posted = await postTo(h, 'mcp-fresh');
    const text = (posted['markdown'] as { content: string }).content;
    expect(text).toContain(`[#${shortIdOf(text)} my-project]`);
    expect(text).toContain('要不要直接发布？');
    // `delivered` is written right after the post; no person answers within those milliseconds.
    const request = await deliveredSoon(h, text);
    expect(request).toMatchObject({
      owner: 'agents',
      platform: 'hil-mcp',
      conversationId: '*|single|cbmcp',
      taskId: 'my-project',
      loopType: 'information',
      context: { question: '要不要直接发布？' },
      metadata: { capture: 'next_message', source: 'mcp', chat_id: '*/single:cbmcp' },
      delivery: 'delivered',
    });
    expect(request.expiresAt - request.createdAt).toBeGreaterThan(1_199_000); // hil-mcp's 1200 s
    expect(request.expiresAt - request.createdAt).toBeLessThanOrEqual(1_200_000);
    const quote = { msgtype: 'text', text: { content: text } };
    const reply = await wecom.chat('发吧', { ...POLL, userid: 'cbmcp', quote });
    expect(reply.final?.content).toBe(`已收到你的回复 [#${request.shortId}] ✅`);
    const result = structured(await call);
    expect(result).toEqual({
      status: 'success',
      message: 'the person replied',
      replies: [
        {
          msg_type: 'text',
          content: '发吧',
          image_url: null,
          from_user: { userid: 'cbmcp', name: 'cbmcp', alias: '' },
          timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        },
      ],
    });
    // Neither the question nor the key reaches the info logs.
    const info = JSON.stringify(h.logs.filter((line) => (line['level'] as number) >= 30));
    expect(info).toContain('MCP tool call ended');
    expect(info).not.toContain('要不要直接发布？');
    expect(h.logText()).not.toContain(API_KEY);
  });

  it('a callback chat that left no response_url: send_message_only says so, a question stays queued', async () => {
    const sent = await mcp.client.callTool({
      name: 'send_message_only',
      arguments: { message: '你好', chat_id: '*/single:silent' },
    });
    expect(structured(sent)).toEqual({ status: 'error', message: expect.stringMatching(/^not sent: .*wrote to it/) });
    const asked = await mcp.client.callTool({
      name: 'send_and_wait_reply',
      arguments: { message: '在吗？', chat_id: '*/single:silent', timeout_seconds: 0.5 },
    });
    expect(structured(asked)).toMatchObject({
      status: 'timeout',
      message: expect.stringMatching(/without being shown/),
    });
    const { rows } = await h.gateway.hil.requests.list({ platform: 'hil-mcp', status: 'expired', skip: 0, limit: 10 });
    expect(rows.find((r) => r.target.chatid === 'silent')?.delivery).toBe('queued');
  });

  it('request_approval shows the card to the approver; a click decides the call', async () => {
    const seq = lastSeq(h);
    const call = mcp.client.callTool({
      name: 'request_approval',
      arguments: {
        question: '可以删除旧日志吗？',
        context: '共 3 GB',
        approvers: ['mcpboss'],
        chat_id: 'wsbot/mcpboss',
      },
    });
    const card = cardOf(await pushTo(h, 'mcpboss', seq));
    expect(card.title).toBe('需要你的审批');
    // The card's task id is stored right after the push; no person clicks within those milliseconds.
    await stored(h, card.taskId);
    const reqId = h.ws!.pushEvent(
      WS_BOT.botId,
      wsCardEvent(
        { cardType: 'button_interaction', eventKey: card.keys[0]!, taskId: card.taskId },
        { userid: 'mcpboss' },
      ),
    );
    expect(updatedCard(await answerTo(h, reqId, 'aibot_respond_update_msg')).title).toBe('已批准 ✅ 由 mcpboss');
    expect(structured(await call)).toEqual({ status: 'approved', reason: '', responded_by: 'mcpboss' });
  });

  it("request_information takes the person's next message in the chat", async () => {
    const seq = lastSeq(h);
    const call = mcp.client.callTool({ name: 'request_information', arguments: { question: '预算多少？' } });
    const text = markdownOf(await pushTo(h, MCP_USER, seq));
    expect(text).toContain('预算多少？');
    await deliveredNamed(h, text);
    const answered = await wsChat(h.ws!, wsText('五万', { userid: MCP_USER }));
    expect(answered.final?.content).toBe(`已收到你的回复 [#${shortIdOf(text)}] ✅`);
    expect(structured(await call)).toEqual({ status: 'completed', answer: '五万', responded_by: MCP_USER });
  });
});

describe('who may use the MCP endpoint', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startMcpHarness();
  });
  afterAll(() => h.close());

  const rpcError = (code: number) => ({ jsonrpc: '2.0', error: { code, message: expect.any(String) }, id: null });

  it('no key, a wrong key, another scheme: 401 JSON with WWW-Authenticate, and the SDK client fails', async () => {
    const tries: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer not-a-key-0123456789' },
      { authorization: `Basic ${API_KEY}` },
    ];
    for (const headers of tries) {
      const res = await post(h, JSON.stringify(INIT), headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await res.json()).toEqual(rpcError(-32000));
    }
    await expect(connect(h, 'wrong-key-0123456789abcdef')).rejects.toMatchObject({ code: 401 });
  });

  it('a session answers only the key that opened it; an unknown session is 404', async () => {
    const mine = await connect(h);
    const sessionId = mine.transport.sessionId!;
    const list = JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list' });
    const stolen = await post(h, list, { authorization: `Bearer ${OTHER_KEY}`, 'mcp-session-id': sessionId });
    expect(stolen.status).toBe(404);
    expect(await stolen.json()).toEqual(rpcError(-32001));
    const revoked = await post(h, list, { 'mcp-session-id': sessionId });
    expect(revoked.status).toBe(401);
    const unknown = await post(h, list, {
      authorization: `Bearer ${API_KEY}`,
      'mcp-session-id': '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.status).toBe(404);
    expect((await mine.client.listTools()).tools).toHaveLength(4);
    await mine.transport.terminateSession();
    const ended = await post(h, list, { authorization: `Bearer ${API_KEY}`, 'mcp-session-id': sessionId });
    expect(ended.status).toBe(404);
    await mine.client.close();
  });

  it('malformed JSON 400 (-32700), an oversized body 413, no session 400, GET 405: never a 500', async () => {
    const auth = { authorization: `Bearer ${API_KEY}` };
    const malformed = await post(h, '{"jsonrpc": "2.0", "id": 1,', auth);
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual(rpcError(-32700));
    const big = JSON.stringify({ ...INIT, params: { ...INIT.params, padding: 'x'.repeat(1_100_000) } });
    const tooLarge = await post(h, big, auth);
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toEqual(rpcError(-32000));
    const noSession = await post(h, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }), auth);
    expect(noSession.status).toBe(400);
    const get = await fetch(`${h.url}/mcp`, { headers: { ...auth, accept: 'text/event-stream' } });
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST, DELETE']);
    expect(await get.json()).toEqual(rpcError(-32000));
    const notRpc = await post(h, JSON.stringify({ hello: 'world' }), auth);
    expect(notRpc.status).toBe(400);
  });
});
