/**
 * Two gateway processes on one PostgreSQL: a request made through one is shown and answered through the
 * other, two clicks at once on both apply one answer, and an operator's token from one works on the other
 * (the generated SECRET_KEY is shared through the store).
 */
import { type FakeWecomClient, enterChatPayload, templateCardEventPayload } from '../../fakes/fakeWecom';
import { GoHumanLoopClient, approvalContext } from '../../fakes/goHumanLoop';
import { describeWithPostgres } from '../../helpers/databases';
import type { GatewayProcess } from '../gatewayProcess';
import { type TwoGateways, startTwoGateways } from '../twoGateways';
import { API_KEY, OPERATOR } from './hilKit';

describeWithPostgres('people in the loop on two instances', () => {
  let two: TwoGateways | undefined;
  let a: GatewayProcess;
  let b: GatewayProcess;
  const wecom = (gw: GatewayProcess): FakeWecomClient => (two as TwoGateways).wecom(gw);

  beforeAll(async () => {
    two = await startTwoGateways({
      HIL_API_KEYS: JSON.stringify({ agents: API_KEY }),
      FIRST_SUPERUSER: OPERATOR.email,
      FIRST_SUPERUSER_PASSWORD: OPERATOR.password,
    });
    ({ a, b } = two);
  }, 60000);

  afterAll(async () => {
    await two?.stop();
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
