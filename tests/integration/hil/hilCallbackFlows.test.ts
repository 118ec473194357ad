/**
 * The remaining GoHumanLoop flows against a callback bot (encrypted callbacks): a comment then 拒绝, a
 * three-turn conversation whose turns go out through the response_url each answered reply leaves, cancel
 * and expiry seen by a click, a non-approver's click in a group, two waiting requests in one chat.
 */
import { enterChatPayload, templateCardEventPayload } from '../../fakes/fakeWecom';
import { approvalContext } from '../../fakes/goHumanLoop';
import type { Harness } from '../harness';
import { ghl, postTo, shortIdOf, startHilHarness } from './hilKit';

const POLL = { pollIntervalMs: 20, maxPolls: 500 };
const CB = { bot: '*' };

interface Card {
  readonly task_id: string;
  readonly button_list: Array<{ key: string }>;
}

describe('people in the loop with a callback bot: the remaining flows', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHilHarness({ HIL_EXPIRY_SWEEP_SECONDS: '1' });
  });
  afterAll(() => h.close());

  /** The queued approval of `userid`, shown as the welcome card of enter_chat. */
  async function welcomeCard(userid: string): Promise<Card> {
    const wecom = h.wecom();
    const welcome = await wecom.post(enterChatPayload({ aibotid: wecom.aibotid, userid }));
    return welcome.reply?.['template_card'] as Card;
  }

  async function click(userid: string, card: Card, button: number, group?: string): Promise<string> {
    const wecom = h.wecom();
    const reply = await wecom.post(
      templateCardEventPayload(
        { card_type: 'button_interaction', event_key: card.button_list[button]!.key, task_id: card.task_id },
        { aibotid: wecom.aibotid, userid, ...(group !== undefined ? { chattype: 'group', chatid: group } : {}) },
      ),
    );
    expect(reply.reply).toMatchObject({
      response_type: 'update_template_card',
      template_card: { task_id: card.task_id },
    });
    return (reply.reply?.['template_card'] as { main_title: { title: string } }).main_title.title;
  }

  it('rejected with a comment: 填写意见, the comment, then 拒绝', async () => {
    const client = ghl(h);
    const { sent } = await client.request('approval', approvalContext('扩容？'), { ...CB, userid: 'cbcomment' });
    const card = await welcomeCard('cbcomment');
    expect(await click('cbcomment', card, 2)).toBe('请直接发送你的意见（10 分钟内）');
    const runs = h.dify.runRequests('app-chat').length;
    const saved = await h.wecom().chat('成本太高', { ...POLL, userid: 'cbcomment' });
    expect(saved.final?.content).toBe('已记录你的意见，请点击卡片上的 批准 或 拒绝。');
    expect(await click('cbcomment', card, 1)).toBe('已拒绝 ❌ 由 cbcomment');
    expect(await client.waitForResult(sent)).toMatchObject({
      status: 'rejected',
      response: { decision: 'rejected', reason: '成本太高' },
    });
    expect(h.dify.runRequests('app-chat').length).toBe(runs);
  });

  it('a three-turn conversation: each answered reply leaves the response_url the next turn goes out by', async () => {
    const client = ghl(h);
    const wecom = h.wecom();
    const user = { ...POLL, userid: 'cbconv' };
    await wecom.chat('开始', { ...user, responseUrl: h.responseUrls.url('conv0') });
    const first = await client.request('conversation', { question: '第一步？' }, { ...CB, userid: 'cbconv' });
    expect(first.answer.json).toMatchObject({ delivery: 'delivered' });
    let text = ((await postTo(h, 'conv0'))['markdown'] as { content: string }).content;
    for (const [turn, reply] of [
      [1, '先备份'],
      [2, '再迁移'],
    ] as const) {
      const quote = { msgtype: 'text', text: { content: text } };
      await wecom.chat(reply, { ...user, quote, responseUrl: h.responseUrls.url(`conv${turn}`) });
      const next = await client.continueConversation(first.sent.conversationId, { question: `第${turn + 1}步？` });
      expect(next.answer.json).toMatchObject({ success: true, delivery: 'delivered' });
      text = ((await postTo(h, `conv${turn}`))['markdown'] as { content: string }).content;
      expect(text).toContain(`第${turn + 1}步？`);
    }
    expect((await client.status(first.sent)).parsed).toMatchObject({
      status: 'completed',
      response: { message: '先备份' },
    });
    const end = await wecom.chat('结束对话', { ...user, quote: { msgtype: 'text', text: { content: text } } });
    expect(end.final?.content).toBe(`对话已结束 [#${shortIdOf(text)}] ✅`);
  });

  it('cancel and expiry: a click on the card hears 已取消 / 已过期', async () => {
    const client = ghl(h);
    const cancelled = await client.request('approval', approvalContext('取消？'), { ...CB, userid: 'cbcancel' });
    const card = await welcomeCard('cbcancel');
    expect((await client.cancel(cancelled.sent)).json).toMatchObject({ success: true });
    expect(await click('cbcancel', card, 0)).toBe('已取消');
    const expiring = await client.request('approval', approvalContext('过期？'), {
      ...CB,
      userid: 'cbexpire',
      timeout: 1,
    });
    const late = await welcomeCard('cbexpire');
    await new Promise((r) => setTimeout(r, 2200));
    expect(await h.gateway.hil.requests.byId((expiring.answer.json as { id: string }).id)).toMatchObject({
      status: 'expired',
    });
    expect(await click('cbexpire', late, 0)).toBe('已过期');
    expect((await client.status(expiring.sent)).parsed.status).toBe('expired');
  });

  it('a click by someone who is not an approver changes only their view', async () => {
    const client = ghl(h);
    const { sent } = await client.request('approval', approvalContext('丙？'), {
      ...CB,
      userid: 'assistant',
      approverid: 'boss',
    });
    const card = await welcomeCard('assistant');
    expect(await click('assistant', card, 0)).toBe('无权限：你不是这条请求的审批人');
    expect((await client.status(sent)).parsed.status).toBe('pending');
    expect(await click('boss', card, 0)).toBe('已批准 ✅ 由 boss');
    expect((await client.waitForResult(sent)).responded_by).toBe('boss');
  });

  it('two approvals waiting in a group: an unquoted 同意 gets the list, nothing is decided', async () => {
    const client = ghl(h);
    const group = { ...POLL, chattype: 'group' as const, chatid: 'wrcbgroup2' };
    const target = { ...CB, chatid: 'wrcbgroup2', approverid: 'lead' };
    const a = await client.request('approval', approvalContext('甲？'), target, { taskId: 'ga' });
    const b = await client.request('approval', approvalContext('乙？'), target, { taskId: 'gb' });
    const hint = await h.wecom().chat('@助手 同意', { ...group, userid: 'lead' });
    for (const r of [a, b]) {
      expect(hint.final?.content).toContain(`[#${(r.answer.json as { short_id: string }).short_id} `);
      expect((await client.status(r.sent)).parsed.status).toBe('pending');
    }
  });
});
