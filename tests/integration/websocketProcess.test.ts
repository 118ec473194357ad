/**
 * The built gateway as ops run it (`node dist/app/index.js`) with only a websocket bot configured: it
 * connects out to the (fake) WeCom long-connection server, answers through the fake Dify, reports the
 * link in /readyz, and on SIGTERM closes the link and exits cleanly (issue #8).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type FakeDify, startFakeDify } from '../fakes/fakeDify';
import { type FakeWecomWs, WS_BOT_ID, startFakeWecomWs, wsText } from '../fakes/fakeWecomWs';
import { type GatewayProcess, startGatewayProcess } from './gatewayProcess';
import { wsChat } from './wsChat';

describe('the gateway process with a websocket bot', () => {
  let dify: FakeDify;
  let ws: FakeWecomWs;
  let gateway: GatewayProcess | undefined;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gw-ws-'));

  beforeAll(async () => {
    [dify, ws] = await Promise.all([
      startFakeDify({ apps: [{ apiKey: 'app-chat', mode: 'chat' }] }),
      startFakeWecomWs({ bots: { [WS_BOT_ID]: 'proc-secret' } }),
    ]);
  });
  afterAll(async () => {
    await gateway?.kill();
    await Promise.all([dify.close(), ws.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('connects, answers, reports the link and closes it on SIGTERM', async () => {
    gateway = await startGatewayProcess({
      DATA_DIR: dataDir,
      DIFY_API_BASE_URL: dify.baseUrl,
      DIFY_API_KEY: 'app-chat',
      WECOM_BOTS: JSON.stringify({
        helpdesk: { mode: 'websocket', botId: WS_BOT_ID, secret: 'proc-secret', wsUrl: ws.url },
      }),
    });
    await ws.waitForSubscribed(WS_BOT_ID, 1, 15_000);
    const t = await wsChat(ws, wsText('进程里的问题', { userid: 'u-proc' }));
    expect(t.final?.content).toContain('收到：进程里的问题');
    const ready = await fetch(`${gateway.url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([
      200,
      { status: 'ready', store: true, websocket: { helpdesk: 'connected' } },
    ]);
    expect(await gateway.stop()).toBe(0);
    await ws.waitUntil(() => !ws.isConnected(WS_BOT_ID), 2000, 'the link closed');
    expect(gateway.output()).not.toContain('proc-secret');
    gateway = undefined;
  });
});
