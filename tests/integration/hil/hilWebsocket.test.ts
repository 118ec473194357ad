/**
 * GoHumanLoop's unmodified wire (tests/fakes/goHumanLoop) against the gateway with a long-connection bot:
 * requests are pushed at once (aibot_send_msg), answered by card clicks and quote replies (§12).
 */
import { wsCardEvent, wsText } from '../../fakes/fakeWecomWs';
import { approvalContext } from '../../fakes/goHumanLoop';
import type { Harness } from '../harness';
import { WS_BOT } from '../harness';
import { wsChat } from '../wsChat';
import {
  answerTo,
  cardOf,
  ghl,
  lastSeq,
  markdownOf,
  pushTo,
  shortIdOf,
  OPERATOR,
  startHilHarness,
  updatedCard,
  waitConnected,
} from './hilKit';

const BOT = { bot: WS_BOT.key };

describe('people in the loop over the long connection', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHilHarness({ HIL_EXPIRY_SWEEP_SECONDS: '1' });
    await waitConnected(h);
  });
  afterAll(() => h.close());

  async function click(
    userid: string,
    taskId: string,
    eventKey: string,
    chattype: 'single' | 'group' = 'single',
    chatid?: string,
  ) {
    const reqId = h.ws!.pushEvent(
      WS_BOT.botId,
      wsCardEvent(
        { cardType: 'button_interaction', eventKey, taskId },
        { userid, chattype, ...(chatid !== undefined ? { chatid } : {}) },
      ),
    );
    return updatedCard(await answerTo(h, reqId, 'aibot_respond_update_msg'));
  }

  it('an approval approved by a card click; a double click changes nothing', async () => {
    const client = ghl(h);
    const seq = lastSeq(h);
    const { sent, answer } = await client.request('approval', approvalContext('可以删除生产库吗？'), {
      ...BOT,
      userid: 'zhangsan',
    });
    expect([answer.status, answer.json]).toEqual([
      200,
      expect.objectContaining({ success: true, delivery: 'delivered' }),
    ]);
    const card = cardOf(await pushTo(h, 'zhangsan', seq));
    expect(card.title).toBe('需要你的审批');
    expect(card.keys).toHaveLength(3);
    expect((await client.status(sent)).parsed).toMatchObject({ success: true, status: 'pending' });
    const first = await click('zhangsan', card.taskId, card.keys[0] as string);
    expect(first).toEqual({ title: '已批准 ✅ 由 zhangsan', userids: undefined, taskId: card.taskId });
    const result = await client.waitForResult(sent);
    expect(result).toMatchObject({
      success: true,
      status: 'approved',
      response: { decision: 'approved', userid: 'zhangsan' },
      responded_by: 'zhangsan',
    });
    expect(new Date(result.responded_at as string).toISOString()).toBe(result.responded_at);
    const again = await click('zhangsan', card.taskId, card.keys[1] as string);
    expect(again.title).toBe('已批准 ✅ 由 zhangsan');
    expect((await client.status(sent)).parsed).toMatchObject({ status: 'approved', responded_at: result.responded_at });
  });

  it('an information request answered by a quote reply never reaches Dify', async () => {
    const client = ghl(h);
    const seq = lastSeq(h);
    const { sent } = await client.request(
      'information',
      { message: '报销', question: '用哪个成本中心？' },
      { ...BOT, userid: 'lisi' },
    );
    const text = markdownOf(await pushTo(h, 'lisi', seq));
    expect(text).toContain('用哪个成本中心？');
    expect(text).toContain('> 请引用回复此消息');
    const runs = h.dify.runRequests('app-chat').length;
    const reply = await wsChat(
      h.ws!,
      wsText('A100', { userid: 'lisi', quote: { msgtype: 'text', text: { content: text } } }),
    );
    expect(reply.final?.content).toBe(`已收到你的回复 [#${shortIdOf(text)}] ✅`);
    expect(await client.waitForResult(sent)).toMatchObject({
      status: 'completed',
      response: { information: 'A100' },
      responded_by: 'lisi',
    });
    expect(h.dify.runRequests('app-chat').length).toBe(runs);
    const chat = await wsChat(h.ws!, wsText('你好', { userid: 'lisi' }));
    expect(chat.final?.finish).toBe(true);
    expect(h.dify.runRequests('app-chat').length).toBe(runs + 1);
  });

  it('rejected with a comment: 填写意见, the comment, then 拒绝', async () => {
    const client = ghl(h);
    const seq = lastSeq(h);
    const { sent } = await client.request('approval', approvalContext('加预算？'), { ...BOT, approverid: 'wangcai' });
    const card = cardOf(await pushTo(h, 'wangcai', seq));
    const prompt = await click('wangcai', card.taskId, card.keys[2] as string);
    expect(prompt).toMatchObject({ title: '请直接发送你的意见（10 分钟内）', userids: ['wangcai'] });
    const runs = h.dify.runRequests('app-chat').length;
    const saved = await wsChat(h.ws!, wsText('预算不够', { userid: 'wangcai' }));
    expect(saved.final?.content).toBe('已记录你的意见，请点击卡片上的 批准 或 拒绝。');
    expect((await client.status(sent)).parsed.status).toBe('pending');
    expect((await click('wangcai', card.taskId, card.keys[1] as string)).title).toBe('已拒绝 ❌ 由 wangcai');
    expect(await client.waitForResult(sent)).toMatchObject({
      status: 'rejected',
      response: { decision: 'rejected', reason: '预算不够' },
      responded_by: 'wangcai',
    });
    expect(h.dify.runRequests('app-chat').length).toBe(runs);
  });

  it('a three-turn conversation through continue, ended with 结束对话', async () => {
    const client = ghl(h);
    const quote = (text: string) => ({ msgtype: 'text', text: { content: text } });
    let seq = lastSeq(h);
    const first = await client.request(
      'conversation',
      { message: { function_name: 'plan', arguments: [] }, question: '先做什么？' },
      { ...BOT, userid: 'zhouqi' },
      { taskId: 't3' },
    );
    let text = markdownOf(await pushTo(h, 'zhouqi', seq));
    expect(text).toContain('回复“结束对话”结束');
    await wsChat(h.ws!, wsText('先备份', { userid: 'zhouqi', quote: quote(text) }));
    expect(await client.waitForResult(first.sent)).toMatchObject({
      status: 'inprogress',
      response: { message: '先备份' },
    });
    seq = lastSeq(h);
    const second = await client.continueConversation(first.sent.conversationId, {
      message: 'again',
      question: '然后？',
    });
    expect(second.answer.json).toMatchObject({ success: true });
    expect((await client.status(first.sent)).parsed.status).toBe('completed');
    text = markdownOf(await pushTo(h, 'zhouqi', seq));
    await wsChat(h.ws!, wsText(`#${shortIdOf(text)} 再迁移`, { userid: 'zhouqi' }));
    expect(await client.waitForResult(second.sent)).toMatchObject({
      status: 'inprogress',
      response: { message: '再迁移' },
    });
    seq = lastSeq(h);
    const third = await client.continueConversation(first.sent.conversationId, {
      message: 'more',
      question: '还有吗？',
    });
    text = markdownOf(await pushTo(h, 'zhouqi', seq));
    const end = await wsChat(h.ws!, wsText('结束对话', { userid: 'zhouqi', quote: quote(text) }));
    expect(end.final?.content).toBe(`对话已结束 [#${shortIdOf(text)}] ✅`);
    expect(await client.waitForResult(third.sent)).toMatchObject({ status: 'completed', responded_by: 'zhouqi' });
    expect((await client.status(second.sent)).parsed.status).toBe('completed');
  });

  it('in a group only an approver counts; others see 无权限 and the request stays pending', async () => {
    const client = ghl(h);
    const seq = lastSeq(h);
    const { sent } = await client.request('approval', approvalContext('发布？'), {
      ...BOT,
      chatid: 'wrgroup01',
      approverid: ['boss', 'cto'],
    });
    const card = cardOf(await pushTo(h, 'wrgroup01', seq));
    const denied = await click('intern', card.taskId, card.keys[0] as string, 'group', 'wrgroup01');
    expect(denied).toMatchObject({ title: '无权限：你不是这条请求的审批人', userids: ['intern'] });
    expect((await client.status(sent)).parsed.status).toBe('pending');
    expect((await click('cto', card.taskId, card.keys[0] as string, 'group', 'wrgroup01')).title).toBe(
      '已批准 ✅ 由 cto',
    );
    expect((await client.waitForResult(sent)).responded_by).toBe('cto');
  });

  it('two pending requests in one chat: an unquoted 同意 gets the list, /approve <id> decides one', async () => {
    const client = ghl(h);
    const seq = lastSeq(h);
    const a = await client.request(
      'approval',
      approvalContext('任务一？'),
      { ...BOT, userid: 'zhaoliu' },
      { taskId: 'job-a' },
    );
    const b = await client.request(
      'approval',
      approvalContext('任务二？'),
      { ...BOT, userid: 'zhaoliu' },
      { taskId: 'job-b' },
    );
    await h.ws!.waitUntil(() => h.ws!.frames.filter((f) => f.cmd === 'aibot_send_msg' && f.seq > seq).length >= 2);
    const ids = [a, b].map((r) => (r.answer.json as { short_id: string }).short_id);
    const hint = await wsChat(h.ws!, wsText('同意', { userid: 'zhaoliu' }));
    expect(hint.final?.content).toContain('当前有多个等待回复的请求');
    for (const id of ids) expect(hint.final?.content).toContain(`[#${id} `);
    expect((await client.status(a.sent)).parsed.status).toBe('pending');
    const done = await wsChat(h.ws!, wsText(`/approve ${ids[1]} 可以`, { userid: 'zhaoliu' }));
    expect(done.final?.content).toBe(`已批准 [#${ids[1]}] ✅`);
    expect(await client.waitForResult(b.sent)).toMatchObject({ status: 'approved', response: { reason: '可以' } });
    expect((await client.status(a.sent)).parsed.status).toBe('pending');
    const single = await wsChat(h.ws!, wsText('拒绝 不做了', { userid: 'zhaoliu' }));
    expect(single.final?.content).toBe(`已拒绝 [#${ids[0]}] ❌`);
    expect((await client.status(a.sent)).parsed).toMatchObject({ status: 'rejected', response: { reason: '不做了' } });
  });

  it('cancel and cancel_conversation (both spellings); a click on a cancelled card hears 已取消', async () => {
    const client = ghl(h);
    const seq = lastSeq(h);
    const one = await client.request('approval', approvalContext('取消我'), { ...BOT, userid: 'qianba' });
    const card = cardOf(await pushTo(h, 'qianba', seq));
    expect((await client.cancel(one.sent)).json).toMatchObject({ success: true });
    expect((await client.cancel(one.sent)).json).toMatchObject({ success: true });
    expect((await client.status(one.sent)).parsed.status).toBe('cancelled');
    expect((await click('qianba', card.taskId, card.keys[0] as string)).title).toBe('已取消');
    const conv = await client.request(
      'conversation',
      { message: 'hi', question: '聊聊？' },
      { ...BOT, userid: 'qianba' },
    );
    const other = await client.request(
      'information',
      { question: '还在吗？' },
      { ...BOT, userid: 'qianba' },
      { conversationId: 'conv-typo' },
    );
    expect((await client.cancelConversation(conv.sent.conversationId)).json).toMatchObject({
      success: true,
      cancelled: 1,
    });
    expect((await client.status(conv.sent)).parsed.status).toBe('cancelled');
    expect((await client.cancelConversation('conv-typo', 'cancel_converstation')).json).toMatchObject({
      success: true,
    });
    expect((await client.status(other.sent)).parsed.status).toBe('cancelled');
  });

  it('expires on the server after metadata.timeout; a late click hears 已过期', async () => {
    const client = ghl(h);
    const seq = lastSeq(h);
    const { sent } = await client.request('approval', approvalContext('快过期'), {
      ...BOT,
      userid: 'sunjiu',
      timeout: 1,
    });
    const card = cardOf(await pushTo(h, 'sunjiu', seq));
    await new Promise((r) => setTimeout(r, 1100));
    expect((await client.waitForResult(sent)).status).toBe('expired');
    expect((await click('sunjiu', card.taskId, card.keys[0] as string)).title).toBe('已过期');
  });

  it('a retried request is the same request, delivered once', async () => {
    const client = ghl(h);
    const seq = lastSeq(h);
    const ids = { conversationId: 'retry-c', requestId: 'b7c1c0de-0000-4000-8000-000000000001' };
    const first = await client.request('approval', approvalContext('重试'), { ...BOT, userid: 'retry' }, ids);
    const again = await client.request('approval', approvalContext('重试'), { ...BOT, userid: 'retry' }, ids);
    expect(again.answer.json).toEqual(first.answer.json);
    await pushTo(h, 'retry', seq);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.ws!.frames.filter((f) => f.cmd === 'aibot_send_msg' && f.body?.['chatid'] === 'retry')).toHaveLength(1);
  });

  it('a wrong or missing key is 401 JSON; an unknown id and a bad query are 200 success:false', async () => {
    for (const key of ['wrong-key-0000000000', null]) {
      const bad = await ghl(h, key).request('approval', approvalContext('x'), { ...BOT, userid: 'x' });
      expect([bad.answer.status, bad.answer.contentType, bad.answer.json]).toEqual([
        401,
        expect.stringContaining('application/json'),
        { success: false, error: 'Unauthorized' },
      ]);
    }
    const client = ghl(h);
    const unknown = await client.status({ conversationId: 'nope', requestId: 'nope', platform: 'wecom' });
    expect([unknown.http.status, unknown.parsed.success, unknown.parsed.status]).toEqual([200, false, 'pending']);
    const partial = await client.call('GET', 'status?conversation_id=only');
    expect([partial.status, (partial.json as { success: boolean }).success]).toEqual([200, false]);
    const malformed = await fetch(`${h.url}/api/v1/humanloop/request`, {
      method: 'POST',
      headers: { Authorization: 'Bearer ghl-test-key-0123456789abcdef', 'Content-Type': 'application/json' },
      body: '{"task_id": ',
    });
    expect([malformed.status, await malformed.json()]).toEqual([
      400,
      { success: false, error: 'request body is not valid JSON' },
    ]);
    const noTarget = await client.request('approval', approvalContext('x'), { ...BOT });
    expect(noTarget.answer.json).toMatchObject({ success: false, error: expect.stringContaining('no recipient') });
    expect(h.logText()).not.toContain('ghl-test-key-0123456789abcdef');
  });

  it('an operator answers through the admin API: GoHumanLoop sees it, the chat hears a notice', async () => {
    const client = ghl(h);
    const login = await fetch(`${h.url}/api/v1/login/access-token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: OPERATOR.email, password: OPERATOR.password }).toString(),
    });
    const { access_token: token } = (await login.json()) as { access_token: string };
    const admin = (path: string, body?: unknown) =>
      fetch(`${h.url}/api/v1/admin/humanloop${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      }).then(async (r) => ({ status: r.status, json: (await r.json()) as Record<string, unknown> }));
    const seq = lastSeq(h);
    const one = await client.request(
      'approval',
      approvalContext('运维批？'),
      { ...BOT, userid: 'opsuser' },
      { taskId: 'ops-1' },
    );
    const two = await client.request(
      'information',
      { question: '版本号？' },
      { ...BOT, userid: 'opsuser' },
      { taskId: 'ops-2' },
    );
    await h.ws!.waitUntil(() => h.ws!.frames.filter((f) => f.cmd === 'aibot_send_msg' && f.seq > seq).length >= 2);
    const listed = await admin('/requests?loop_type=approval&status=pending&platform=wecom');
    const rows = listed.json['data'] as Array<{ id: string; task_id: string; metadata: Record<string, unknown> }>;
    const row = rows.find((r) => r.task_id === 'ops-1');
    expect(row?.metadata).toMatchObject({ delivery: 'delivered' });
    expect(rows.every((r) => (r as unknown as { loop_type: string }).loop_type === 'approval')).toBe(true);
    const approved = await admin('/approval', { request_id: row!.id, action: 'approved', feedback: 'ok' });
    expect(approved).toMatchObject({ status: 200, json: { success: true } });
    expect(await client.waitForResult(one.sent)).toMatchObject({
      status: 'approved',
      response: { decision: 'approved' },
      responded_by: expect.stringContaining('ops'),
    });
    const notice = await h.ws!.waitForFrame(
      (f) => f.cmd === 'aibot_send_msg' && f.seq > seq && markdownOf(f).includes('已由'),
    );
    expect(markdownOf(notice)).toContain('ops-1');
    const again = await admin('/approval', { request_id: row!.id, action: 'rejected' });
    expect(again).toMatchObject({ status: 200, json: { success: false } });
    const info = (two.answer.json as { id: string }).id;
    expect(await admin('/information', { request_id: info, response: 'v2.1' })).toMatchObject({
      json: { success: true },
    });
    expect(await client.waitForResult(two.sent)).toMatchObject({
      status: 'completed',
      response: { information: 'v2.1' },
    });
    const stats = await admin('/stats');
    expect(stats.status).toBe(200);
    expect(JSON.stringify(stats.json)).toContain('"approved"');
  });

  it('a push WeCom refused stays queued and is pushed again by the sweep', async () => {
    const client = ghl(h);
    h.ws!.setAck((f) => (f.cmd === 'aibot_send_msg' ? { errcode: 846609, errmsg: 'user never wrote' } : undefined));
    const seq = lastSeq(h);
    const { answer } = await client.request('information', { question: '稍后送达？' }, { ...BOT, userid: 'later' });
    h.ws!.setAck(undefined);
    expect(answer.json).toMatchObject({ success: true, delivery: 'queued' });
    const frames = () =>
      h.ws!.frames.filter((f) => f.cmd === 'aibot_send_msg' && f.body?.['chatid'] === 'later' && f.seq > seq);
    await h.ws!.waitUntil(() => frames().length >= 2, 5000, 'a second push');
    expect(markdownOf(frames()[1]!)).toContain('稍后送达？');
    const id = (answer.json as { id: string }).id;
    for (let i = 0; i < 40 && (await h.gateway.hil.requests.byId(id))?.delivery !== 'delivered'; i += 1)
      await new Promise((r) => setTimeout(r, 50));
    expect((await h.gateway.hil.requests.byId(id))?.delivery).toBe('delivered');
  });

  it("tasks/sync takes the manager's document as GoHumanLoop sends it; an oversized body is 413 JSON", async () => {
    const client = ghl(h);
    const document = {
      task_id: 'ts',
      conversations: [
        {
          conversation_id: 'cs',
          provider_id: 'GoHumanLoop',
          requests: [
            {
              request_id: 'cd5c878d-0000-4000-8000-000000000000',
              status: 'approved',
              loop_type: 'approval',
              response: { decision: 'approved', reason: 'looks fine' },
              feedback: { note: 'ok' },
              responded_by: 'tester@example.com',
              responded_at: '2025-01-01T00:00:00',
              error: null,
            },
          ],
        },
      ],
      timestamp: '2026-11-21T05:28:52.169932',
      metadata: { source: 'gohumanloop-0.0.15', client_ip: '127.0.0.1', user_agent: 'Linux 6.1' },
    };
    const synced = await client.call('POST', 'tasks/sync', document);
    expect([synced.status, synced.json]).toEqual([200, expect.objectContaining({ success: true })]);
    const { rows } = await h.db.query<{ document: unknown }>(
      "SELECT document FROM hil_task_syncs WHERE owner = 'agents' AND task_id = 'ts'",
    );
    expect(rows[0]?.document).toEqual(document);
    const huge = await client.call('POST', 'tasks/sync', { task_id: 'big', blob: 'x'.repeat(1_100_000) });
    expect([huge.status, huge.json]).toEqual([413, { success: false, error: 'request body too large' }]);
  });
});
