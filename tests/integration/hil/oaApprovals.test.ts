/**
 * Formal WeCom approvals (issue #16) through real HTTP: GoHumanLoop asks, the gateway files an approval
 * in the fake WeCom API (template read once, controls filled by title), the approver decides there, and
 * WeCom's encrypted XML callback answers the request — approved, rejected with a comment, information
 * completed, cancelled in WeCom — plus a filing WeCom refuses, a conversation, a client's cancel, and
 * the "已提交审批" note in the bot chat.
 */
import { type Harness, WS_BOT } from '../harness';
import { APP } from '../../fakes/fakeWecomApi';
import { approvalContext } from '../../fakes/goHumanLoop';
import { ghl, markdownOf, pushTo, startHilHarness, waitConnected } from './hilKit';
import { type OaHarness, lastSpNo, outcomesOf, sendChange, startOaHarness } from './oaKit';

describe('formal WeCom approvals (HIL_APPROVAL_BACKEND=oa)', () => {
  let o: OaHarness;
  beforeAll(async () => {
    o = await startOaHarness();
  });
  afterAll(() => o.close());

  it('files the approval by template title and answers it approved with the approver and speech', async () => {
    const client = ghl(o.h);
    const context = {
      message: { function_name: 'drop_table', arguments: ['users'] },
      question: '删除 users 表？',
      additional: '生产库',
    };
    const { sent, answer } = await client.request('approval', context, { approverid: 'lisi' }, { taskId: 'task-7' });
    expect(answer.json).toMatchObject({ success: true, status: 'pending', delivery: 'delivered' });
    const spNo = lastSpNo(o.api);
    const applied = o.api.approval(spNo).applied;
    expect(applied).toMatchObject({
      creator_userid: APP.creator,
      template_id: APP.approvalTemplate,
      use_template_approver: 0,
      approver: [{ attr: 2, userid: ['lisi'] }],
      summary_list: [{ summary_info: [{ text: '删除 users 表？', lang: 'zh_CN' }] }],
    });
    const byTitle = Object.fromEntries(
      (applied['apply_data'] as { contents: Array<{ id: string; value: { text: string } }> }).contents.map((c) => [
        o.api.templates.get(APP.approvalTemplate)!.find((k) => k.id === c.id)!.title,
        c.value.text,
      ]),
    );
    // An object context is written as JSON text, not dropped (gohumanloop-wework writes "").
    expect(JSON.parse(byTitle['申请内容'] ?? '')).toEqual(context.message);
    expect(byTitle).toEqual({
      任务ID: 'task-7',
      对话ID: sent.conversationId,
      请求ID: sent.requestId,
      HumanLoop类型: 'approval',
      申请内容: expect.stringContaining('"function_name": "drop_table"'),
      申请问题: '删除 users 表？',
      申请说明: '生产库',
    });
    expect((await client.status(sent)).parsed).toMatchObject({ status: 'pending', responded_by: null });

    o.api.decide(spNo, 2, '同意，先备份');
    expect(await sendChange(o, spNo)).toMatchObject({ status: 200, body: 'success' });
    const result = await client.waitForResult(sent);
    expect(result).toMatchObject({
      status: 'approved',
      responded_by: 'lisi',
      response: { decision: 'approved', reason: '同意，先备份', speech: '同意，先备份', userid: 'lisi', sp_no: spNo },
      feedback: null,
    });
    expect(typeof result.responded_at).toBe('string');
  });

  it('reads the template once per process', async () => {
    const reads = o.api.templateReads;
    await ghl(o.h).request('approval', approvalContext('再来一个？'), {});
    expect(o.api.templateReads).toBe(reads);
    expect(o.api.approval(lastSpNo(o.api)).applied['approver']).toEqual([{ attr: 2, userid: [APP.defaultApprover] }]);
  });

  it('rejected with a comment: the speech is the reason, the last comment the feedback', async () => {
    const client = ghl(o.h);
    const { sent } = await client.request('approval', approvalContext('扩容？'), { approverid: 'wangwu' });
    const spNo = lastSpNo(o.api);
    o.api.decide(spNo, 3, '不行', { userid: 'wangwu', text: '成本太高，下季度再说', time: 1765000100 });
    await sendChange(o, spNo);
    expect(await client.waitForResult(sent)).toMatchObject({
      status: 'rejected',
      responded_by: 'wangwu',
      response: { decision: 'rejected', reason: '不行', comment: '成本太高，下季度再说' },
      feedback: '成本太高，下季度再说',
    });
  });

  it('information: the info template, completed with the handler speech as the information', async () => {
    const client = ghl(o.h);
    const { sent } = await client.request(
      'information',
      { message: '需要预算', question: '预算是多少？' },
      { approverid: 'zhao' },
    );
    const spNo = lastSpNo(o.api);
    expect(o.api.approval(spNo).templateId).toBe(APP.infoTemplate);
    o.api.decide(spNo, 2, '五万元');
    await sendChange(o, spNo);
    expect(await client.waitForResult(sent)).toMatchObject({
      status: 'completed',
      responded_by: 'zhao',
      response: { information: '五万元' },
    });
  });

  it('cancelled in WeCom (已撤销) → cancelled; 已删除 → error', async () => {
    const client = ghl(o.h);
    const first = await client.request('approval', approvalContext('撤销我？'), {});
    const withdrawn = lastSpNo(o.api);
    o.api.setStatus(withdrawn, 4);
    await sendChange(o, withdrawn);
    expect(await client.waitForResult(first.sent)).toMatchObject({ status: 'cancelled', responded_by: null });

    const second = await client.request('approval', approvalContext('删除我？'), {});
    const deleted = lastSpNo(o.api);
    o.api.setStatus(deleted, 7);
    await sendChange(o, deleted);
    expect(await client.waitForResult(second.sent)).toMatchObject({
      status: 'error',
      error: 'the WeCom approval ended with status 7',
    });
  });

  it('a filing WeCom refuses makes the request error, with the reason and no secret', async () => {
    const client = ghl(o.h);
    o.api.failNextApply(301025, 'approver not in app visible range');
    const { sent, answer } = await client.request('approval', approvalContext('会失败？'), {});
    expect(answer.json).toMatchObject({ success: true, status: 'error' });
    const { parsed } = await client.status(sent);
    expect(parsed).toMatchObject({ success: true, status: 'error' });
    expect(parsed.error).toContain('301025');
    expect(parsed.error).toContain('approver not in app visible range');
    expect(JSON.stringify(parsed)).not.toContain(APP.secret);
    expect(o.h.logText()).not.toContain(APP.secret);
    expect(o.h.logText()).not.toContain('access_token=');
    expect(o.h.logText()).not.toMatch(/token-\d+-/);
  });

  it('a conversation cannot go to WeCom approvals: success false with the reason', async () => {
    const { answer } = await ghl(o.h).request('conversation', { message: '聊聊？' }, {});
    expect(answer.json).toMatchObject({ success: false });
    expect((answer.json as { error: string }).error).toContain('approval and information requests only');
  });

  it('a cancel from the client marks the request and says WeCom is not revoked; a later approval changes nothing', async () => {
    const client = ghl(o.h);
    const { sent } = await client.request('approval', approvalContext('取消？'), {});
    const spNo = lastSpNo(o.api);
    const cancelled = await client.cancel(sent);
    expect(cancelled.json).toMatchObject({ success: true, status: 'cancelled' });
    expect((cancelled.json as { note: string }).note).toContain('not revoked');
    o.api.decide(spNo, 2, '晚了');
    await sendChange(o, spNo);
    expect((await client.status(sent)).parsed).toMatchObject({ status: 'cancelled' });
    expect(await outcomesOf(o.h, spNo, 1)).toEqual(['closed']);
  });

  it('metadata.backend = "chat" keeps a request in the bot chat', async () => {
    await waitConnected(o.h);
    const filed = o.api.approvals.size;
    const { answer } = await ghl(o.h).request('approval', approvalContext('聊天里批？'), {
      backend: 'chat',
      bot: WS_BOT.key,
      userid: 'chatuser',
    });
    expect(answer.json).toMatchObject({ success: true, delivery: 'delivered' });
    expect(o.api.approvals.size).toBe(filed);
  });

  it('with a chat named, the bot also says 已提交审批 <sp_no> there', async () => {
    await waitConnected(o.h);
    const push = pushTo(o.h, 'noteuser');
    await ghl(o.h).request('approval', approvalContext('通知我？'), { bot: WS_BOT.key, userid: 'noteuser' });
    const spNo = lastSpNo(o.api);
    expect(markdownOf(await push)).toBe(`已提交审批 ${spNo}`);
    expect(o.api.approval(spNo).applied['approver']).toEqual([{ attr: 2, userid: [APP.defaultApprover] }]);
  });
});

describe('formal WeCom approvals per request (HIL_APPROVAL_BACKEND=chat)', () => {
  let o: OaHarness;
  beforeAll(async () => {
    o = await startOaHarness({ HIL_APPROVAL_BACKEND: 'chat' });
  });
  afterAll(() => o.close());

  it('metadata.backend = "oa" files that request; the others stay in the chat', async () => {
    await waitConnected(o.h);
    const client = ghl(o.h);
    const chat = await client.request('approval', approvalContext('聊天？'), { bot: WS_BOT.key, userid: 'u1' });
    expect(chat.answer.json).toMatchObject({ success: true, delivery: 'delivered' });
    expect(o.api.approvals.size).toBe(0);
    const { sent } = await client.request('approval', approvalContext('正式审批？'), {
      backend: 'oa',
      approverid: 'cfo',
    });
    const spNo = lastSpNo(o.api);
    o.api.decide(spNo, 2, '可以');
    await sendChange(o, spNo);
    expect(await client.waitForResult(sent)).toMatchObject({ status: 'approved', responded_by: 'cfo' });
  });
});

describe('without the self-built app', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHilHarness();
  });
  afterAll(() => h.close());

  it('metadata.backend = "oa" is refused with the reason, and /wecom/app/callback does not exist', async () => {
    const { answer } = await ghl(h).request('approval', approvalContext('审批？'), { backend: 'oa', userid: 'x' });
    expect(answer.json).toEqual({
      success: false,
      error: 'WeCom approvals (metadata.backend = "oa") are not configured on this gateway',
    });
    expect((await fetch(`${h.url}/wecom/app/callback`)).status).toBe(404);
  });
});
