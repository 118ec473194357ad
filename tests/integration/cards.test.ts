/**
 * Template cards (issue #6 scope 1 and 3): a welcome card from the Dify app's opening statement and
 * suggested questions, follow-up questions shown as a card after an answer, and a click on a question
 * answered with update_template_card and then the answer on the event's response_url.
 */
import { DEFAULT_TEXTS } from '../../app/config/texts';
import { enterChatPayload, templateCardEventPayload } from '../fakes/fakeWecom';
import { type Harness, startHarness } from './harness';

const POLL = { pollIntervalMs: 20, maxPolls: 500 };

interface Card {
  card_type: string;
  main_title: { title?: string };
  button_list: Array<{ text: string; key: string }>;
  task_id: string;
}

describe('template cards', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      apps: [
        {
          apiKey: 'app-chat',
          mode: 'chat',
          suggestions: ['怎么报销？', '差旅标准是什么？'],
          parameters: { opening_statement: '你好，我是财务助手。', suggested_questions: ['发票怎么开？'] },
        },
      ],
      env: { DIFY_SUGGESTIONS: 'true', WECOM_WELCOME_CARD: 'true', WECOM_WELCOME_TEXT: '欢迎' },
    });
  });
  afterAll(() => h.close());

  it('welcomes with a card from the app opening statement whose buttons ask its suggested questions', async () => {
    const client = h.wecom();
    const reply = (await client.post(enterChatPayload({ aibotid: client.aibotid }))).reply as {
      msgtype: string;
      template_card: Card;
    };
    expect(reply.msgtype).toBe('template_card');
    expect(reply.template_card).toMatchObject({
      card_type: 'button_interaction',
      main_title: { title: '你好，我是财务助手。' },
      button_list: [{ text: '发票怎么开？', key: 'ask:发票怎么开？' }],
    });
    expect(reply.template_card.task_id).toMatch(/^welcome_[0-9A-Za-z_\-@]+$/);
  });

  it('shows follow-up questions with the final reply, and a click asks one and answers on response_url', async () => {
    const client = h.wecom();
    const t = await client.chat('报销问题', { ...POLL, userid: 'carder' });
    const final = await client.poll(t.first.id, { userid: 'carder' });
    const reply = final.reply as { msgtype: string; template_card: Card };
    expect(reply.msgtype).toBe('stream_with_template_card');
    expect(reply.template_card.main_title.title).toBe(DEFAULT_TEXTS.SUGGESTIONS_TITLE);
    expect(reply.template_card.button_list.map((b) => b.key)).toEqual(['ask:怎么报销？', 'ask:差旅标准是什么？']);
    const suggestedCall = h.dify.requests.find((r) => r.path.endsWith('/suggested'));
    expect(suggestedCall?.query).toEqual({ user: 'wecom:aibFAKEBOT0001:carder' });

    const click = {
      card_type: 'button_interaction',
      event_key: 'ask:差旅标准是什么？',
      task_id: reply.template_card.task_id,
    };
    const clicked = await client.post(
      templateCardEventPayload(click, {
        aibotid: client.aibotid,
        userid: 'carder',
        responseUrl: h.responseUrls.url('click'),
      }),
    );
    expect(clicked.reply).toMatchObject({
      response_type: 'update_template_card',
      template_card: {
        card_type: 'button_interaction',
        task_id: click.task_id,
        main_title: { title: `${DEFAULT_TEXTS.CARD_QUESTION_ASKED}差旅标准是什么？` },
      },
    });
    await h.responseUrls.waitForPosts(1, 5000);
    expect(h.responseUrls.posts.find((p) => p.code === 'click')?.body).toEqual({
      msgtype: 'markdown',
      markdown: { content: '收到：差旅标准是什么？' },
    });
    const runs = h.dify
      .runRequests('app-chat')
      .map((r) => r.body as { query: string; user: string; conversation_id: string });
    const asked = runs.find((r) => r.query === '差旅标准是什么？');
    expect(asked?.user).toBe('wecom:aibFAKEBOT0001:carder');
    expect(asked?.conversation_id).not.toBe('');
  });

  it('answers a click on a key it does not know with an empty reply', async () => {
    const client = h.wecom();
    const clicked = await client.post(
      templateCardEventPayload(
        { card_type: 'button_interaction', event_key: 'other', task_id: 't1' },
        { aibotid: client.aibotid },
      ),
    );
    expect([clicked.status, clicked.text]).toEqual([200, '']);
  });
});
