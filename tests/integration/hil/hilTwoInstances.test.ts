/**
 * Two gateway processes on one PostgreSQL: a request made through one is shown and answered through the
 * other, two clicks at once on both apply one answer, and an operator's token from one works on the other
 * (the generated SECRET_KEY is shared through the store).
 */
import { FakeWecomClient, enterChatPayload, templateCardEventPayload } from '../../fakes/fakeWecom';
import { type FakeDify, startFakeDify } from '../../fakes/fakeDify';
import { GoHumanLoopClient, approvalContext } from '../../fakes/goHumanLoop';
import { createScratchPostgres, describeWithPostgres, requirePostgresUrl } from '../../helpers/databases';
import { type GatewayProcess, startGatewayProcess } from '../gatewayProcess';
import { BOT } from '../harness';
import { API_KEY, OPERATOR } from './hilKit';

describeWithPostgres('people in the loop on two instances', () => {
  let dify: FakeDify;
  let scratch: { url: string; drop(): Promise<void> };
  let a: GatewayProcess;
  let b: GatewayProcess;
  const wecom = (gw: GatewayProcess): FakeWecomClient =>
    new FakeWecomClient({ baseUrl: gw.url, path: '/wecom/callback/bot1', ...BOT });

  beforeAll(async () => {
    const url = requirePostgresUrl();
    dify = await startFakeDify({ apps: [{ apiKey: 'app-chat', mode: 'chat' }] });
    scratch = await createScratchPostgres(url);
    const env = {
      WECOM_TOKEN: BOT.token,
      WECOM_ENCODING_AES_KEY: BOT.encodingAesKey,
      DIFY_API_BASE_URL: dify.baseUrl,
      DIFY_API_KEY: 'app-chat',
      DATABASE_URL: scratch.url,
      HIL_API_KEYS: JSON.stringify({ agents: API_KEY }),
      FIRST_SUPERUSER: OPERATOR.email,
      FIRST_SUPERUSER_PASSWORD: OPERATOR.password,
    };
    [a, b] = await Promise.all([
      startGatewayProcess({ ...env, INSTANCE_ID: 'A' }),
      startGatewayProcess({ ...env, INSTANCE_ID: 'B' }),
    ]);
  }, 60000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await dify?.close();
    await scratch?.drop();
  }, 30000);

  it('made on A, shown on B, two simultaneous clicks on A and B answer it once', async () => {
    const client = new GoHumanLoopClient(`${a.url}/api`, API_KEY);
    const { sent } = await client.request('approval', approvalContext('两个实例？'), { userid: 'twin' });
    const onB = wecom(b);
    const welcome = await onB.post(enterChatPayload({ aibotid: onB.aibotid, userid: 'twin' }));
    const card = welcome.reply?.['template_card'] as { task_id: string; button_list: Array<{ key: string }> };
    expect(card.button_list).toHaveLength(3);
    const clickOn = (gw: GatewayProcess, key: string) => {
      const c = wecom(gw);
      return c.post(
        templateCardEventPayload(
          { card_type: 'button_interaction', event_key: key, task_id: card.task_id },
          { aibotid: c.aibotid, userid: 'twin' },
        ),
      );
    };
    const [approve, reject] = await Promise.all([
      clickOn(a, card.button_list[0]!.key),
      clickOn(b, card.button_list[1]!.key),
    ]);
    const titleOf = (r: typeof approve) =>
      (r.reply?.['template_card'] as { main_title: { title: string } }).main_title.title;
    const result = await new GoHumanLoopClient(`${b.url}/api`, API_KEY).waitForResult(sent);
    const expected = result.status === 'approved' ? '已批准 ✅ 由 twin' : '已拒绝 ❌ 由 twin';
    expect(['approved', 'rejected']).toContain(result.status);
    expect([titleOf(approve), titleOf(reject)]).toEqual([expected, expected]);
  });

  it('an operator token from A works on B', async () => {
    const login = await fetch(`${a.url}/api/v1/login/access-token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: OPERATOR.email, password: OPERATOR.password }).toString(),
    });
    const { access_token: token } = (await login.json()) as { access_token: string };
    const listed = await fetch(`${b.url}/api/v1/admin/humanloop/requests`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { count: number }).count).toBeGreaterThanOrEqual(1);
  });
});
