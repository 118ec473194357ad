/**
 * Dify's Human Input node answered in the chat of a callback bot (issue #15 scope 4): the card goes out
 * through the message's response_url, the click's own response_url carries the resumed answer; in a group
 * (no cards through a response_url) the form is markdown answered by a quote reply.
 */
import { templateCardEventPayload } from '../../fakes/fakeWecom';
import type { RecordedRequest } from '../../fakes/fakeDify';
import { type Harness, startHarness } from '../harness';
import { postTo, shortIdOf } from './hilKit';

const FLOW = 'app-flow';
const POLL = { pollIntervalMs: 20, maxPolls: 500 };
const AIBOT = 'aibFAKEBOT0001';

function submits(h: Harness, token: string): RecordedRequest[] {
  return h.dify.requests.filter((r) => r.method === 'POST' && r.path === `/form/human_input/${token}`);
}

async function turnsDone(h: Harness): Promise<void> {
  for (let i = 0; i < 200 && h.gateway.turns.activeTurns > 0; i += 1) await new Promise((r) => setTimeout(r, 25));
}

describe('a Dify Human Input form with a callback bot', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ apps: [{ apiKey: FLOW, mode: 'advanced-chat' }] });
  });
  afterAll(() => h.close());

  it('the card comes through the response_url; the click submits once and its response_url gets the answer', async () => {
    h.dify.script(FLOW, {
      kind: 'humanInput',
      form: {
        before: '合同已审完。',
        actions: [
          { id: 'sign', title: '签署' },
          { id: 'hold', title: '暂缓' },
          { id: 'ask_legal', title: '转法务' },
        ],
      },
    });
    const wecom = h.wecom();
    const chat = await wecom.chat('审一下合同', { ...POLL, userid: 'cbuser', responseUrl: h.responseUrls.url('msg') });
    expect(chat.final?.content).toContain('合同已审完。');
    expect(chat.final?.content).toContain('需要你的确认才能继续');
    await turnsDone(h);
    const posted = await postTo(h, 'msg');
    const card = posted['template_card'] as { task_id: string; button_list: Array<{ key: string; text: string }> };
    expect(posted).toMatchObject({ msgtype: 'template_card', template_card: { card_type: 'button_interaction' } });
    expect(card.button_list.map((b) => b.text)).toEqual(['签署', '暂缓', '转法务']);
    const form = h.dify.forms[h.dify.forms.length - 1]!;
    const click = (key: string, code: string) =>
      wecom.post(
        templateCardEventPayload(
          { card_type: 'button_interaction', event_key: key, task_id: card.task_id },
          { aibotid: wecom.aibotid, userid: 'cbuser', responseUrl: h.responseUrls.url(code) },
        ),
      );
    const clicked = await click(card.button_list[2]!.key, 'click');
    expect(clicked.reply).toMatchObject({
      response_type: 'update_template_card',
      template_card: { task_id: card.task_id, main_title: { title: '已选择「转法务」✅ 由 cbuser' } },
    });
    expect(await postTo(h, 'click')).toEqual({ msgtype: 'markdown', markdown: { content: '已选择：转法务 {}' } });
    expect(submits(h, form.token).map((r) => r.body)).toEqual([
      { action: 'ask_legal', inputs: {}, user: `wecom:${AIBOT}:cbuser` },
    ]);
    const again = await click(card.button_list[0]!.key, 'again');
    expect(again.reply).toMatchObject({ template_card: { main_title: { title: '已选择「转法务」✅ 由 cbuser' } } });
    await new Promise((r) => setTimeout(r, 300));
    expect(submits(h, form.token)).toHaveLength(1);
    expect(h.responseUrls.posts.some((p) => p.code === 'again')).toBe(false);
  });

  it('in a group the form is markdown; a quoted 批准 answers it and the resumed answer follows', async () => {
    h.dify.script(FLOW, { kind: 'humanInput', form: { nodeTitle: '上线审批', content: '要上线 v2 吗？' } });
    const wecom = h.wecom();
    const group = { chattype: 'group' as const, chatid: 'wrflowgroup1' };
    await wecom.chat('@助手 准备上线', { ...POLL, ...group, userid: 'dev', responseUrl: h.responseUrls.url('g1') });
    await turnsDone(h);
    const text = ((await postTo(h, 'g1'))['markdown'] as { content: string }).content;
    expect(text).toContain('[#');
    expect(text).toContain('要上线 v2 吗？');
    expect(text).toContain('批准 / 拒绝');
    const form = h.dify.forms[h.dify.forms.length - 1]!;
    const quote = { msgtype: 'text', text: { content: text } };
    const reply = await wecom.chat('@助手 批准', {
      ...POLL,
      ...group,
      userid: 'lead',
      quote,
      responseUrl: h.responseUrls.url('g2'),
    });
    expect(reply.final?.content).toBe(`已收到你的回复 [#${shortIdOf(text)}] ✅`);
    expect(await postTo(h, 'g2')).toEqual({ msgtype: 'markdown', markdown: { content: '已选择：批准 {}' } });
    expect(submits(h, form.token).map((r) => r.body)).toEqual([
      { action: 'approve', inputs: {}, user: `wecom:${AIBOT}:group:wrflowgroup1` },
    ]);
  });

  it('a resumed run that pauses at a second form shows it too', async () => {
    h.dify.script(FLOW, {
      kind: 'humanInput',
      form: {
        nodeTitle: '初审',
        then: { nodeTitle: '终审', actions: [{ id: 'publish', title: '发布' }], answer: () => '已发布。' },
        answer: () => '初审通过，',
      },
    });
    const wecom = h.wecom();
    await wecom.chat('两级审批', { ...POLL, userid: 'chain', responseUrl: h.responseUrls.url('c0') });
    await turnsDone(h);
    const first = (await postTo(h, 'c0'))['template_card'] as { task_id: string; button_list: Array<{ key: string }> };
    const clickOn = (card: typeof first, code: string) =>
      wecom.post(
        templateCardEventPayload(
          { card_type: 'button_interaction', event_key: card.button_list[0]!.key, task_id: card.task_id },
          { aibotid: wecom.aibotid, userid: 'chain', responseUrl: h.responseUrls.url(code) },
        ),
      );
    await clickOn(first, 'c1');
    expect(await postTo(h, 'c1')).toEqual({
      msgtype: 'markdown',
      markdown: { content: '初审通过，\n\n⏸ 需要你的确认才能继续，请查看下一条消息。' },
    });
    // The second card needs a way into the chat: the person's next message leaves a fresh response_url.
    await wecom.chat('在吗', { ...POLL, userid: 'chain', responseUrl: h.responseUrls.url('c2') });
    await turnsDone(h);
    const second = (await postTo(h, 'c2'))['template_card'] as {
      task_id: string;
      button_list: Array<{ key: string; text: string }>;
    };
    expect(second.button_list.map((b) => b.text)).toEqual(['发布']);
    await clickOn(second, 'c3');
    expect(await postTo(h, 'c3')).toEqual({ msgtype: 'markdown', markdown: { content: '已发布。' } });
    const [a, b] = h.dify.forms.slice(-2);
    expect([a!.submitted?.action, b!.submitted?.action]).toEqual(['approve', 'publish']);
    expect(b!.workflowRunId).toBe(a!.workflowRunId);
  });

  it('a form Dify cannot take through its API (e-mail delivery) ends the answer with the old notice', async () => {
    h.dify.script(FLOW, { kind: 'humanInput', form: { before: '需要邮件审批。', delivery: 'email' } });
    const chat = await h.wecom().chat('走邮件', { ...POLL, userid: 'mailer' });
    expect(chat.final?.content).toBe('需要邮件审批。\n\n抱歉，该智能体需要填写表单才能继续，当前对话暂不支持。');
  });
});
