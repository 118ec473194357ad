/**
 * A Dify form survives its gateway (issue #15 scope 6): the form paused under one instance is answered
 * through the next one on the same store, and a form answered where no listener saw it (another instance,
 * or one that died right after the answer) is submitted by the sweep — once.
 */
import { templateCardEventPayload } from '../../fakes/fakeWecom';
import { type FakeDify, type RecordedRequest, startFakeDify } from '../../fakes/fakeDify';
import { createScratchPostgres, describeWithPostgres, requirePostgresUrl } from '../../helpers/databases';
import { SqlHilRequests } from '../../../app/hil/store/sqlHilRequests';
import { type Harness, startHarness } from '../harness';
import { postTo } from './hilKit';

const FLOW = 'app-flow';
const POLL = { pollIntervalMs: 20, maxPolls: 500 };
const APPS = [{ apiKey: FLOW, mode: 'advanced-chat' as const }];
const ENV = { HIL_EXPIRY_SWEEP_SECONDS: '1' };

function submits(dify: FakeDify, token: string): RecordedRequest[] {
  return dify.requests.filter((r) => r.method === 'POST' && r.path === `/form/human_input/${token}`);
}

async function turnsDone(h: Harness): Promise<void> {
  for (let i = 0; i < 200 && h.gateway.turns.activeTurns > 0; i += 1) await new Promise((r) => setTimeout(r, 25));
}

async function waitFor(check: () => boolean, ms: number): Promise<void> {
  for (const end = Date.now() + ms; !check();) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describeWithPostgres('a Dify form across a restart', () => {
  let dify: FakeDify;
  let scratch: Awaited<ReturnType<typeof createScratchPostgres>>;
  beforeAll(async () => {
    dify = await startFakeDify({ apps: APPS });
    scratch = await createScratchPostgres(requirePostgresUrl());
  });
  afterAll(async () => {
    await dify.close();
    await scratch.drop();
  });

  /** Pauses a run under a fresh instance, shows the card, and stops that instance. */
  async function pausedThenStopped(userid: string): Promise<{ card: { task_id: string; keys: string[] } }> {
    const first = await startHarness({ apps: APPS, dify, database: { kind: 'postgres', url: scratch.url }, env: ENV });
    try {
      dify.script(FLOW, { kind: 'humanInput', form: { before: '等待审批。' } });
      await first.wecom().chat('发起', { ...POLL, userid, responseUrl: first.responseUrls.url('msg') });
      await turnsDone(first);
      const card = (await postTo(first, 'msg'))['template_card'] as {
        task_id: string;
        button_list: Array<{ key: string }>;
      };
      return { card: { task_id: card.task_id, keys: card.button_list.map((b) => b.key) } };
    } finally {
      await first.close();
    }
  }

  it('a card shown before the restart is answered after it', async () => {
    const { card } = await pausedThenStopped('restarted');
    const second = await startHarness({ apps: APPS, dify, database: { kind: 'postgres', url: scratch.url }, env: ENV });
    try {
      const wecom = second.wecom();
      const clicked = await wecom.post(
        templateCardEventPayload(
          { card_type: 'button_interaction', event_key: card.keys[1]!, task_id: card.task_id },
          { aibotid: wecom.aibotid, userid: 'restarted', responseUrl: second.responseUrls.url('click') },
        ),
      );
      expect(clicked.reply).toMatchObject({
        template_card: { main_title: { title: '已选择「拒绝」✅ 由 restarted' } },
      });
      expect(await postTo(second, 'click')).toEqual({ msgtype: 'markdown', markdown: { content: '已选择：拒绝 {}' } });
      const form = dify.forms[dify.forms.length - 1]!;
      expect(submits(dify, form.token).map((r) => (r.body as { action: string }).action)).toEqual(['reject']);
    } finally {
      await second.close();
    }
  }, 60000);

  it('an answer no listener saw is submitted by the sweep, once', async () => {
    await pausedThenStopped('elsewhere');
    const form = dify.forms[dify.forms.length - 1]!;
    const second = await startHarness({ apps: APPS, dify, database: { kind: 'postgres', url: scratch.url }, env: ENV });
    try {
      // Answered through a store with no change listener: another instance, or one that died right after.
      const store = new SqlHilRequests(second.db);
      const open = (await store.list({ owner: 'dify', status: 'pending', skip: 0, limit: 10 })).rows.find(
        (r) => r.requestId === form.token,
      );
      expect(open).toBeDefined();
      const response = { action: 'approve', action_title: '批准', text: '', userid: 'elsewhere' };
      await store.answer(open!.id, {
        status: 'completed',
        response,
        respondedBy: 'elsewhere',
        respondedAt: Date.now(),
      });
      await waitFor(() => submits(dify, form.token).length > 0, 8000);
      await new Promise((r) => setTimeout(r, 1500));
      expect(submits(dify, form.token)).toHaveLength(1);
      expect(form.submitted).toMatchObject({ action: 'approve', user: form.user });
    } finally {
      await second.close();
    }
  }, 60000);
});
