/**
 * GoHumanLoop's wire against a callback bot (encrypted callbacks, §4): the bot cannot speak first, so a
 * request goes out through a fresh response_url (§9) or waits, queued, for the person's next contact —
 * their next message, enter_chat, /pending — and is answered by a card click or a quote reply.
 */
import { enterChatPayload, templateCardEventPayload } from '../../fakes/fakeWecom';
import { approvalContext } from '../../fakes/goHumanLoop';
import { until } from '../../helpers/until';
import type { Harness } from '../harness';
import { ghl, postTo, shortIdOf, startHilHarness, waitConnected } from './hilKit';

const POLL = { pollIntervalMs: 20, maxPolls: 500 };
const CB = { bot: '*' };

async function turnsDone(h: Harness): Promise<void> {
  for (let i = 0; i < 200 && h.gateway.turns.activeTurns > 0; i += 1) await new Promise((r) => setTimeout(r, 25));
}

function idOf(answer: { json: unknown }): string {
  return (answer.json as { id: string }).id;
}

describe('people in the loop with a callback bot', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHilHarness();
    await waitConnected(h);
  });
  afterAll(() => h.close());

  it('a request with no way into the chat is queued, shown after the next message, then approved by a click', async () => {
    const client = ghl(h);
    const { sent, answer } = await client.request('approval', approvalContext('上线？'), { ...CB, userid: 'cbuser' });
    expect(answer.json).toMatchObject({ success: true, status: 'pending', delivery: 'queued' });
    expect((await h.gateway.hil.requests.byId(idOf(answer)))?.delivery).toBe('queued');
    const wecom = h.wecom();
    const chat = await wecom.chat('你好', { ...POLL, userid: 'cbuser', responseUrl: h.responseUrls.url('next') });
    expect(chat.final?.finish).toBe(true);
    await turnsDone(h);
    const posted = await postTo(h, 'next');
    expect(posted).toMatchObject({ msgtype: 'template_card', template_card: { card_type: 'button_interaction' } });
    // The post reaches the fake before the gateway records the delivery it made.
    await deliveredState(h, idOf(answer));
    const card = posted['template_card'] as { task_id: string; button_list: Array<{ key: string }> };
    const clicked = await wecom.post(
      templateCardEventPayload(
        { card_type: 'button_interaction', event_key: card.button_list[0]!.key, task_id: card.task_id },
        { aibotid: wecom.aibotid, userid: 'cbuser', responseUrl: h.responseUrls.url('click') },
      ),
    );
    expect(clicked.reply).toMatchObject({
      response_type: 'update_template_card',
      template_card: { task_id: card.task_id, main_title: { title: '已批准 ✅ 由 cbuser' } },
    });
    expect(await client.waitForResult(sent)).toMatchObject({ status: 'approved', responded_by: 'cbuser' });
  });

  it('a chat that left a fresh response_url gets the request at once', async () => {
    const wecom = h.wecom();
    await wecom.chat('在吗', { ...POLL, userid: 'fresh', responseUrl: h.responseUrls.url('fresh') });
    await turnsDone(h);
    const { answer } = await ghl(h).request('information', { question: '项目代号？' }, { ...CB, userid: 'fresh' });
    expect(answer.json).toMatchObject({ delivery: 'delivered' });
    const posted = await postTo(h, 'fresh');
    expect(posted).toMatchObject({ msgtype: 'markdown' });
    expect((posted['markdown'] as { content: string }).content).toContain('项目代号？');
  });

  it('in a group the approval goes as markdown; a quote reply 同意 + reason decides it', async () => {
    const client = ghl(h);
    const wecom = h.wecom();
    const group = { chattype: 'group' as const, chatid: 'wrcbgroup1' };
    const { sent } = await client.request('approval', approvalContext('合并？'), {
      ...CB,
      chatid: 'wrcbgroup1',
      approverid: 'boss',
    });
    await wecom.chat('@助手 你好', { ...POLL, ...group, userid: 'boss', responseUrl: h.responseUrls.url('grp') });
    await turnsDone(h);
    const posted = await postTo(h, 'grp');
    const text = (posted['markdown'] as { content: string }).content;
    expect(text).toContain('/approve');
    const quote = { msgtype: 'text', text: { content: text } };
    const denied = await wecom.chat('@助手 同意', { ...POLL, ...group, userid: 'intern', quote });
    expect(denied.final?.content).toBe(`[#${shortIdOf(text)}] 不需要你来回复。`);
    const reply = await wecom.chat('@助手 同意 可以合并', { ...POLL, ...group, userid: 'boss', quote });
    expect(reply.final?.content).toBe(`已批准 [#${shortIdOf(text)}] ✅`);
    expect(await client.waitForResult(sent)).toMatchObject({
      status: 'approved',
      response: { decision: 'approved', reason: '可以合并' },
      responded_by: 'boss',
    });
  });

  it('enter_chat shows a queued approval as the welcome card', async () => {
    const { answer } = await ghl(h).request('approval', approvalContext('欢迎卡？'), { ...CB, userid: 'opener' });
    expect(answer.json).toMatchObject({ delivery: 'queued' });
    const wecom = h.wecom();
    const welcome = await wecom.post(enterChatPayload({ aibotid: wecom.aibotid, userid: 'opener' }));
    expect(welcome.reply).toMatchObject({
      msgtype: 'template_card',
      template_card: { card_type: 'button_interaction', main_title: { title: '需要你的审批' } },
    });
    expect((await h.gateway.hil.requests.byId(idOf(answer)))?.delivery).toBe('delivered');
  });

  it('/pending (待办) lists what waits; a 「quoted」 reply of the long-connection form answers', async () => {
    const client = ghl(h);
    const { sent, answer } = await client.request(
      'information',
      { question: '预算多少？' },
      { ...CB, userid: 'lister' },
    );
    const shortId = (answer.json as { short_id: string }).short_id;
    const wecom = h.wecom();
    const list = await wecom.chat('待办', { ...POLL, userid: 'lister' });
    expect(list.final?.content).toContain(`[#${shortId} t1] 预算多少？`);
    expect((await h.gateway.hil.requests.byId(idOf(answer)))?.delivery).toBe('delivered');
    const reply = await wecom.chat(`「[#${shortId} t1] 预算多少？」\n- - - - - - - - - - - - - - -\n五万`, {
      ...POLL,
      userid: 'lister',
    });
    expect(reply.final?.content).toBe(`已收到你的回复 [#${shortId}] ✅`);
    expect(await client.waitForResult(sent)).toMatchObject({ status: 'completed', response: { information: '五万' } });
    expect((await wecom.chat('/pending', { ...POLL, userid: 'lister' })).final?.content).toBe('当前没有待处理的请求。');
  });

  it('a retried click (same msgid) gets the same card and applies nothing twice; an unknown card says so', async () => {
    const client = ghl(h);
    const wecom = h.wecom();
    const { sent, answer } = await client.request('approval', approvalContext('重试点击？'), {
      ...CB,
      userid: 'retrier',
    });
    const welcome = await wecom.post(enterChatPayload({ aibotid: wecom.aibotid, userid: 'retrier' }));
    const card = welcome.reply?.['template_card'] as { task_id: string; button_list: Array<{ key: string }> };
    const click = templateCardEventPayload(
      { card_type: 'button_interaction', event_key: card.button_list[1]!.key, task_id: card.task_id },
      { aibotid: wecom.aibotid, userid: 'retrier' },
    );
    const first = await wecom.post(click);
    const result = await client.waitForResult(sent);
    const retry = await wecom.post(click);
    expect(retry.reply).toEqual(first.reply);
    expect(result).toMatchObject({ status: 'rejected', responded_by: 'retrier' });
    expect((await client.status(sent)).parsed.responded_at).toBe(result.responded_at);
    expect(await h.gateway.hil.requests.replies(idOf(answer))).toEqual([]);
    const unknown = await wecom.post(
      templateCardEventPayload(
        { card_type: 'button_interaction', event_key: 'hil:approve:00000000', task_id: 'hil_00000000_x' },
        { aibotid: wecom.aibotid, userid: 'nobody' },
      ),
    );
    expect(unknown.reply).toMatchObject({ template_card: { main_title: { title: '该请求不存在或已失效' } } });
  });
});

/** Waits (≤ 2 s) until the store says the request was delivered. */
function deliveredState(h: Harness, id: string): Promise<void> {
  return until(async () => (await h.gateway.hil.requests.byId(id))?.delivery === 'delivered', 2000, 'delivered');
}
