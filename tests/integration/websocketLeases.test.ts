/**
 * Several instances on one PostgreSQL with the same websocket bot (issue #8 with issue #4's
 * deployment): WeCom keeps one connection per bot, so only the instance holding the bot's lease
 * connects, the others stand by (and are ready), and one of them takes over when the holder stops.
 */
import { type FakeWecomWs, WS_BOT_ID, startFakeWecomWs, wsText } from '../fakes/fakeWecomWs';
import { loopbackRequest } from '../fakes/shared/loopbackRequest';
import { createScratchPostgres, describeWithPostgres, requirePostgresUrl } from '../helpers/databases';
import { type Harness, WS_BOT, startHarness } from './harness';
import { wsChat } from './wsChat';

async function stateOf(h: Harness): Promise<{ status: number; state: unknown }> {
  const res = await loopbackRequest(`${h.url}/readyz`, { method: 'GET' });
  return {
    status: res.status,
    state: (JSON.parse(res.text) as { websocket?: Record<string, unknown> }).websocket?.[WS_BOT.key],
  };
}

describeWithPostgres('a websocket bot shared by instances on one PostgreSQL', () => {
  let scratch: { url: string; drop(): Promise<void> };
  let ws: FakeWecomWs;
  let instances: Harness[] = [];

  beforeAll(async () => {
    const url = requirePostgresUrl();
    scratch = await createScratchPostgres(url);
    ws = await startFakeWecomWs({ bots: { [WS_BOT.botId]: WS_BOT.secret } });
  });
  afterAll(async () => {
    await Promise.all(instances.map((h) => h.close()));
    await ws.close();
    await scratch.drop();
  });

  it('connects from one instance only, and another takes over when it stops', async () => {
    const start = (): Promise<Harness> =>
      startHarness({
        database: { kind: 'postgres', url: scratch.url },
        websocket: { server: ws },
        env: { WECOM_TOKEN: '', WECOM_ENCODING_AES_KEY: '' },
      });
    instances = await Promise.all([start(), start()]);
    await ws.waitForSubscribed(WS_BOT_ID);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(ws.subscribes(WS_BOT_ID)).toBe(1);
    const states = await Promise.all(instances.map(stateOf));
    expect(states.map((s) => s.state).sort()).toEqual(['connected', 'standby']);
    expect(states.map((s) => s.status)).toEqual([200, 200]);
    expect((await wsChat(ws, wsText('谁在服务', { userid: 'u-lease' }))).final?.content).toContain('收到：谁在服务');

    const holder = states.findIndex((s) => s.state === 'connected');
    const [stopping] = instances.splice(holder, 1);
    await stopping?.close();
    await ws.waitForSubscribed(WS_BOT_ID, 2, 5000);
    await expect(stateOf(instances[0] as Harness)).resolves.toEqual({ status: 200, state: 'connected' });
    expect((await wsChat(ws, wsText('换人了吗', { userid: 'u-lease' }))).final?.content).toContain('收到：换人了吗');
  });
});
