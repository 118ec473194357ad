/**
 * Dify's Human Input node answered in the WeCom chat over the long connection (issue #15 scope 4,
 * docs/dify-human-input.md): the answer so far, the form as a card (or markdown), the click or quote reply
 * submitted to the fake Dify once, and the resumed run's answer pushed into the same chat.
 */
import { type ClientFrame, wsCardEvent, wsText } from '../../fakes/fakeWecomWs';
import type { RecordedRequest } from '../../fakes/fakeDify';
import { type Harness, WS_BOT, startHarness } from '../harness';
import { until } from '../../helpers/until';
import { wsChat } from '../wsChat';
import { cardOf, lastSeq, markdownOf, shortIdOf, updatedCard, waitConnected } from './hilKit';

const FLOW = 'app-flow';
const WAITING = '⏸ 需要你的确认才能继续，请查看下一条消息。';

/** Generous waits: the resumed answer takes a few hops, and CI machines are shared. */
const WAIT_MS = 8000;

function pushTo(h: Harness, chatid: string, afterSeq: number): Promise<ClientFrame> {
  return h.ws!.waitForFrame(
    (f) => f.cmd === 'aibot_send_msg' && f.body?.['chatid'] === chatid && f.seq > afterSeq,
    WAIT_MS,
  );
}

function answerTo(h: Harness, reqId: string, cmd: string): Promise<ClientFrame> {
  return h.ws!.waitForFrame((f) => f.reqId === reqId && f.cmd === cmd, WAIT_MS);
}

function submits(h: Harness, token?: string): RecordedRequest[] {
  return h.dify.requests.filter(
    (r) =>
      r.method === 'POST' && r.path.startsWith('/form/human_input/') && (token === undefined || r.path.endsWith(token)),
  );
}

describe('a Dify Human Input form over the long connection', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      apps: [{ apiKey: FLOW, mode: 'advanced-chat' }],
      websocket: true,
      env: { HIL_API_KEYS: JSON.stringify({ agents: 'hil-key-0123456789abcdef' }), HIL_EXPIRY_SWEEP_SECONDS: '1' },
    });
    await waitConnected(h);
  });
  afterAll(() => h.close());

  async function click(userid: string, taskId: string, eventKey: string) {
    const reqId = h.ws!.pushEvent(
      WS_BOT.botId,
      wsCardEvent({ cardType: 'button_interaction', eventKey, taskId }, { userid }),
    );
    return updatedCard(await answerTo(h, reqId, 'aibot_respond_update_msg'));
  }

  /** The user's message pauses the run: the answer so far and the form's card. */
  async function pause(userid: string, form: Parameters<Harness['dify']['script']>[1] extends infer R ? R : never) {
    h.dify.script(FLOW, form);
    const seq = lastSeq(h);
    const chat = await wsChat(h.ws!, wsText('写一份发布说明', { userid }));
    const pushed = await pushTo(h, userid, seq);
    return { chat, pushed, form: h.dify.forms[h.dify.forms.length - 1]! };
  }

  it('a card per action; a click submits the form once and the resumed answer reaches the chat', async () => {
    const { chat, pushed, form } = await pause('zhangsan', {
      kind: 'humanInput',
      form: { before: '草稿已生成。', nodeTitle: '发布审核', content: '请审核发布说明。' },
    });
    expect(chat.final?.content).toContain('草稿已生成。');
    expect(chat.final?.content).toContain(WAITING);
    const card = cardOf(pushed);
    const buttons = (pushed.body?.['template_card'] as { button_list: Array<{ text: string }> }).button_list;
    expect(buttons.map((b) => b.text)).toEqual(['批准', '拒绝']);
    expect(card.keys).toEqual([expect.stringMatching(/^hil:act:[0-9a-f]{8}:0$/), expect.stringMatching(/:1$/)]);
    const seq = lastSeq(h);
    expect(await click('zhangsan', card.taskId, card.keys[0]!)).toMatchObject({
      title: '已选择「批准」✅ 由 zhangsan',
    });
    const resumed = markdownOf(await pushTo(h, 'zhangsan', seq));
    expect(resumed).toBe('已选择：批准 {}');
    expect(submits(h, form.token)).toHaveLength(1);
    expect(submits(h, form.token)[0]).toMatchObject({
      apiKey: FLOW,
      body: { action: 'approve', inputs: {}, user: `wecom:${WS_BOT.botId}:zhangsan` },
    });
    expect(form.submitted?.user).toBe(form.user);
    // A second click changes nothing: the same final card, no second submit.
    expect((await click('zhangsan', card.taskId, card.keys[1]!)).title).toBe('已选择「批准」✅ 由 zhangsan');
    await new Promise((r) => setTimeout(r, 300));
    expect(submits(h, form.token)).toHaveLength(1);
  });

  it('Dify down at the click: the sweep submits the form once Dify is back, and the resumed answer follows', async () => {
    const { pushed, form } = await pause('sunqi', { kind: 'humanInput', form: { nodeTitle: '发布审核' } });
    const card = cardOf(pushed);
    h.dify.failFormSubmits(100);
    const seq = lastSeq(h);
    expect(await click('sunqi', card.taskId, card.keys[0]!)).toMatchObject({ title: '已选择「批准」✅ 由 sunqi' });
    await until(() => submits(h, form.token).length >= 1, WAIT_MS, 'a submit attempt');
    expect(form.submitted).toBeUndefined();
    h.dify.failFormSubmits(0);
    const resumed = await pushTo(h, 'sunqi', seq);
    expect(markdownOf(resumed)).toBe('已选择：批准 {}');
    expect(form.submitted).toMatchObject({ action: 'approve', user: form.user });
    // Settled: no further attempt after the one that went through.
    const attempts = submits(h, form.token).length;
    await new Promise((r) => setTimeout(r, 2500));
    expect(submits(h, form.token)).toHaveLength(attempts);
  });

  it('a form with a text field goes as markdown; a quote reply names the action and fills the field', async () => {
    const { pushed, form } = await pause('lisi', {
      kind: 'humanInput',
      form: { content: '请给出意见。', inputs: [{ name: 'comment' }] },
    });
    const text = markdownOf(pushed);
    expect(text).toContain('请给出意见。');
    expect(text).toContain('需填写：comment');
    expect(text).toContain('批准 / 拒绝');
    const seq = lastSeq(h);
    const reply = await wsChat(
      h.ws!,
      wsText('拒绝 数据还不全', { userid: 'lisi', quote: { msgtype: 'text', text: { content: text } } }),
    );
    expect(reply.final?.content).toBe(`已收到你的回复 [#${shortIdOf(text)}] ✅`);
    expect(markdownOf(await pushTo(h, 'lisi', seq))).toBe('已选择：拒绝 {"comment":"数据还不全"}');
    expect(submits(h, form.token).map((r) => r.body)).toEqual([
      { action: 'reject', inputs: { comment: '数据还不全' }, user: `wecom:${WS_BOT.botId}:lisi` },
    ]);
  });

  it('a form Dify says expired gets a notice; a form that expires here too, and its card says so', async () => {
    const first = await pause('wangwu', { kind: 'humanInput', form: { nodeTitle: '审批' } });
    h.dify.expireForm(first.form.token);
    const card = cardOf(first.pushed);
    const seq = lastSeq(h);
    await click('wangwu', card.taskId, card.keys[1]!);
    const notice = markdownOf(await pushTo(h, 'wangwu', seq));
    expect(notice).toMatch(/^\[#[0-9a-f]{8} 审批\] 表单已过期/);
    expect(submits(h, first.form.token)).toHaveLength(1);

    // Another chat: each conversation may be sent only so many messages a minute (§12).
    const second = await pause('zhaoliu', { kind: 'humanInput', form: { nodeTitle: '限时审批', expiresInSeconds: 1 } });
    const late = markdownOf(
      await h.ws!.waitForFrame(
        (f) =>
          f.cmd === 'aibot_send_msg' &&
          f.body?.['chatid'] === 'zhaoliu' &&
          markdownOf(f).includes('限时审批] 表单已过期'),
        WAIT_MS,
      ),
    );
    expect(late).toContain('表单已过期');
    const again = cardOf(second.pushed);
    expect((await click('zhaoliu', again.taskId, again.keys[0]!)).title).toBe('已过期');
    expect(submits(h, second.form.token)).toHaveLength(0);
  });
});
