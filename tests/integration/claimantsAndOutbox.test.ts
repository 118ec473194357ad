/**
 * The two slots a second product plugs into (ARCHITECTURE.md "Ports"): claimants that take a message
 * or a card click before Dify, and the chat outbox that speaks to a chat outside any turn — by a
 * fresh response_url for a callback bot, by a push on the long connection for a websocket bot.
 */
import type { BotProfile } from '../../app/config';
import type { EventReply } from '../../app/services/channel';
import type { CardClick, InboundClaimant, MessageClaim } from '../../app/services/intake/claimants';
import type { UserMessage, WecomEvent } from '../../app/services/wecom/inbound';
import { buttonCard } from '../../app/services/wecom/templateCards';
import { templateCardEventPayload, textPayload } from '../fakes/fakeWecom';
import { WS_BOT_ID, wsText } from '../fakes/fakeWecomWs';
import { type Harness, WS_BOT, startHarness } from './harness';
import { wsChat } from './wsChat';

const POLL = { pollIntervalMs: 20, maxPolls: 500 };

/** The turn's end (after its late post) is when a channel decides what to do with its response_url. */
async function turnsDone(h: Harness): Promise<void> {
  for (let i = 0; i < 200 && h.gateway.turns.activeTurns > 0; i += 1) await new Promise((r) => setTimeout(r, 25));
  expect(h.gateway.turns.activeTurns).toBe(0);
}

async function waitForState(h: Harness, state: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if ((await h.gateway.ready()).websocket?.[WS_BOT.key] === state) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`websocket bot never became ${state}`);
}
const card = buttonCard({
  title: '需要你的审批',
  buttons: [{ text: '批准', key: 'hil:approve:1', style: 1 }],
  taskId: 'hil_1',
});

/**
 * Takes messages that start with `!` and clicks on `hil:` buttons nobody else claims; counts what it saw.
 * The gateway's own people-in-the-loop claimant comes first and owns `#<8 hex>` and `hil:<action>:<8 hex>`.
 */
class TestClaimant implements InboundClaimant {
  readonly name = 'test';
  readonly messages: string[] = [];
  failNext = false;

  claimMessage(_bot: BotProfile, message: UserMessage): Promise<MessageClaim> {
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('claimant down'));
    }
    const text = message.msgtype === 'text' ? message.text.content : '';
    if (!text.startsWith('!')) return Promise.resolve({ kind: 'pass' });
    this.messages.push(message.msgid);
    return Promise.resolve({ kind: 'answered', text: `已记录 ${text}`, cause: 'test_claimed' });
  }

  claimCardClick(_bot: BotProfile, _event: WecomEvent, click: CardClick): Promise<EventReply | undefined> {
    if (!click.event_key.startsWith('hil:')) return Promise.resolve(undefined);
    if (click.event_key === 'hil:boom') return Promise.reject(new Error('claimant down'));
    return Promise.resolve({
      kind: 'reply',
      purpose: 'update_card',
      body: { response_type: 'update_template_card', template_card: { task_id: click.task_id } },
    });
  }
}

describe('claimants before Dify (callback channel)', () => {
  let h: Harness;
  const claimant = new TestClaimant();
  beforeAll(async () => {
    h = await startHarness();
    h.gateway.claimants.add(claimant);
  });
  afterAll(() => h.close());

  it('a claimed message is answered at once with the claimant text; a retry of it gets the same stream', async () => {
    const client = h.wecom();
    const runsBefore = h.dify.runRequests('app-chat').length;
    const payload = textPayload('!3f2a9c1b 同意', { userid: 'approver' });
    const first = await client.post(payload);
    expect(first.reply).toMatchObject({
      msgtype: 'stream',
      stream: { finish: true, content: '已记录 !3f2a9c1b 同意' },
    });
    const retry = await client.post(payload);
    expect((retry.reply as { stream: { id: string } }).stream.id).toBe(
      (first.reply as { stream: { id: string } }).stream.id,
    );
    expect(h.dify.runRequests('app-chat').length).toBe(runsBefore);
    expect(h.logs.some((l) => l['msg'] === 'message answered at once' && l['outcome'] === 'test_claimed')).toBe(true);
  });

  it('a message the claimant passes on, or fails on, goes to Dify', async () => {
    const client = h.wecom();
    expect((await client.chat('你好', POLL)).final?.content).toBeTruthy();
    claimant.failNext = true;
    const t = await client.chat('!还是要回答', POLL);
    expect(t.final?.finish).toBe(true);
    expect(h.dify.runRequests('app-chat').some((r) => (r.body as { query: string }).query === '!还是要回答')).toBe(
      true,
    );
    expect(
      h.logs.some((l) => l['msg'] === 'claimant failed on a message; passing it on' && l['claimant'] === 'test'),
    ).toBe(true);
  });

  it('a click on a claimant button gets its reply; a question button still asks Dify', async () => {
    const client = h.wecom();
    const hil = await client.post(
      templateCardEventPayload(
        { card_type: 'button_interaction', event_key: 'hil:approve:1', task_id: 'hil_1' },
        { aibotid: client.aibotid },
      ),
    );
    expect(hil.reply).toEqual({ response_type: 'update_template_card', template_card: { task_id: 'hil_1' } });
    const boom = await client.post(
      templateCardEventPayload(
        { card_type: 'button_interaction', event_key: 'hil:boom', task_id: 'hil_2' },
        { aibotid: client.aibotid },
      ),
    );
    expect([boom.status, boom.text]).toEqual([200, '']);
    expect(h.logs.some((l) => l['msg'] === 'claimant failed on a card click; passing it on')).toBe(true);
    const ask = await client.post(
      templateCardEventPayload(
        { card_type: 'button_interaction', event_key: 'ask:问一下', task_id: 'sug_1' },
        { aibotid: client.aibotid, responseUrl: h.responseUrls.url('ask') },
      ),
    );
    expect(ask.reply).toMatchObject({ response_type: 'update_template_card' });
    await h.responseUrls.waitForPosts(1, 5000);
    expect(h.responseUrls.posts.find((p) => p.code === 'ask')?.body).toEqual({
      msgtype: 'markdown',
      markdown: { content: '收到：问一下' },
    });
  });
});

describe('chat outbox of a callback bot: a fresh response_url, once', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('uses the URL of a message answered in the stream, once, and says when it has none', async () => {
    const client = h.wecom();
    const to = { botKey: '*', chattype: 'single' as const, chatid: 'writer' };
    expect(await h.gateway.outbox.send(to, { kind: 'markdown', text: '早' })).toEqual({
      kind: 'not_sent',
      reason: 'no_response_url',
    });
    await client.chat('你好', { ...POLL, userid: 'writer', responseUrl: h.responseUrls.url('m1') });
    expect(await h.gateway.outbox.send(to, { kind: 'card', card })).toEqual({ kind: 'sent' });
    expect(h.responseUrls.posts.find((p) => p.code === 'm1')?.body).toMatchObject({
      msgtype: 'template_card',
      template_card: { task_id: 'hil_1' },
    });
    expect(await h.gateway.outbox.send(to, { kind: 'markdown', text: '再来' })).toEqual({
      kind: 'not_sent',
      reason: 'no_response_url',
    });
  });

  it('takes the URL of an unclaimed card click; refuses cards in groups and unknown bots', async () => {
    const client = h.wecom();
    const group = { botKey: '*', chattype: 'group' as const, chatid: 'wrgroup1' };
    await client.post(
      templateCardEventPayload(
        { card_type: 'button_interaction', event_key: 'other', task_id: 't9' },
        {
          aibotid: client.aibotid,
          userid: 'u9',
          chattype: 'group',
          chatid: 'wrgroup1',
          responseUrl: h.responseUrls.url('click'),
        },
      ),
    );
    expect(await h.gateway.outbox.send(group, { kind: 'card', card })).toEqual({
      kind: 'not_sent',
      reason: 'card_needs_single_chat',
    });
    expect(await h.gateway.outbox.send(group, { kind: 'markdown', text: '请审批' })).toEqual({ kind: 'sent' });
    expect(h.responseUrls.posts.find((p) => p.code === 'click')?.body).toEqual({
      msgtype: 'markdown',
      markdown: { content: '请审批' },
    });
    expect(await h.gateway.outbox.send({ ...group, botKey: 'nobody' }, { kind: 'markdown', text: 'x' })).toEqual({
      kind: 'not_sent',
      reason: 'unknown_bot',
    });
  });
});

describe('chat outbox of a callback bot: never a URL something else needs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ windowMs: 300 });
  });
  afterAll(() => h.close());

  it('leaves alone the URL of an answer that went out late, and the URL a question click reserved', async () => {
    const client = h.wecom();
    h.dify.script('app-chat', {
      kind: 'stream',
      events: [{ event: 'message', answer: '慢答' }, { event: 'message_end' }],
      headerDelayMs: 800,
    });
    await client.sendText('慢慢来', { userid: 'late-user', responseUrl: h.responseUrls.url('late') });
    await h.responseUrls.waitForPosts(1, 5000);
    expect(h.responseUrls.posts.find((p) => p.code === 'late')?.body).toMatchObject({ msgtype: 'markdown' });
    await turnsDone(h);
    const late = { botKey: '*', chattype: 'single' as const, chatid: 'late-user' };
    expect(await h.gateway.outbox.send(late, { kind: 'markdown', text: 'x' })).toEqual({
      kind: 'not_sent',
      reason: 'no_response_url',
    });

    const click = { card_type: 'button_interaction', event_key: 'ask:问一下', task_id: 'sug_2' };
    await client.post(
      templateCardEventPayload(click, {
        aibotid: client.aibotid,
        userid: 'clicker',
        responseUrl: h.responseUrls.url('ask'),
      }),
    );
    const clicker = { botKey: '*', chattype: 'single' as const, chatid: 'clicker' };
    expect(await h.gateway.outbox.send(clicker, { kind: 'markdown', text: 'x' })).toEqual({
      kind: 'not_sent',
      reason: 'no_response_url',
    });
    await h.responseUrls.waitForPosts(2, 5000);
    await turnsDone(h);
    expect(await h.gateway.outbox.send(clicker, { kind: 'markdown', text: 'x' })).toEqual({
      kind: 'not_sent',
      reason: 'no_response_url',
    });
    expect(h.responseUrls.posts.find((p) => p.code === 'ask')?.body).toEqual({
      msgtype: 'markdown',
      markdown: { content: '收到：问一下' },
    });
  });
});

describe('chat outbox of a websocket bot: a push on its connection', () => {
  let h: Harness;
  beforeAll(async () => {
    // Slow reconnects, so that a dropped link stays down long enough to be looked at.
    h = await startHarness({ websocket: true, env: { WECOM_WS_RECONNECT_BASE_MS: '5000' } });
    await h.ws?.waitForSubscribed(WS_BOT_ID);
  });
  afterAll(() => h.close());

  it('pushes markdown and cards with aibot_send_msg to the chat', async () => {
    const ws = h.ws!;
    await wsChat(ws, wsText('你好', { userid: 'wsuser' }));
    const to = { botKey: WS_BOT.key, chattype: 'single' as const, chatid: 'wsuser' };
    expect(await h.gateway.outbox.send(to, { kind: 'markdown', text: '**请审批**' })).toEqual({ kind: 'sent' });
    expect(await h.gateway.outbox.send(to, { kind: 'card', card })).toEqual({ kind: 'sent' });
    const sent = ws.frames.filter((f) => f.cmd === 'aibot_send_msg');
    expect(sent.map((f) => f.body)).toEqual([
      { chatid: 'wsuser', msgtype: 'markdown', markdown: { content: '**请审批**' } },
      expect.objectContaining({
        chatid: 'wsuser',
        msgtype: 'template_card',
        template_card: expect.objectContaining({ task_id: 'hil_1' }),
      }),
    ]);
  });

  it('says not_connected while the link is down', async () => {
    h.ws!.drop(WS_BOT_ID);
    await h.ws!.waitUntil(() => !h.ws!.isConnected(WS_BOT_ID), 5000, 'link dropped');
    await waitForState(h, 'reconnecting');
    const to = { botKey: WS_BOT.key, chattype: 'group' as const, chatid: 'grp' };
    expect(await h.gateway.outbox.send(to, { kind: 'markdown', text: 'x' })).toEqual({
      kind: 'not_sent',
      reason: 'not_connected',
    });
  });
});
