/**
 * A long-connection answer whose instance died is finished by the bot's next connection holder
 * (issue #14 scope 5): nobody polls a long-connection stream, so without this the user's answer would
 * spin until WeCom gives up on it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_TEXTS } from '../../app/config/texts';
import { openDatabase } from '../../app/store/openDatabase';
import { StreamRows } from '../../app/store/streamRows';
import { type FakeDify, startFakeDify } from '../fakes/fakeDify';
import { type ClientFrame, type FakeWecomWs, WS_BOT_ID, startFakeWecomWs, wsText } from '../fakes/fakeWecomWs';
import { createScratchPostgres, describeWithPostgres, requirePostgresUrl } from '../helpers/databases';
import { type GatewayProcess, startGatewayProcess } from './gatewayProcess';
import { WS_BOT, startHarness } from './harness';
import { streamOf } from './wsChat';

const finishing = (reqId: string) => (f: ClientFrame) =>
  f.reqId === reqId && f.cmd === 'aibot_respond_msg' && streamOf(f)?.finish === true;

describeWithPostgres('a killed long-connection owner, two instances on one PostgreSQL', () => {
  let dify: FakeDify;
  let ws: FakeWecomWs;
  let scratch: { url: string; drop(): Promise<void> };
  const gateways: GatewayProcess[] = [];

  beforeAll(async () => {
    const url = requirePostgresUrl();
    [dify, ws, scratch] = await Promise.all([
      startFakeDify({ apps: [{ apiKey: 'app-chat', mode: 'chat' }] }),
      startFakeWecomWs({ bots: { [WS_BOT_ID]: WS_BOT.secret } }),
      createScratchPostgres(url),
    ]);
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gw) => gw.stop()));
    await Promise.all([dify?.close(), ws?.close()]);
    await scratch?.drop();
  }, 30000);

  it('has the standby take the bot and finish the answer the killed holder left, exactly once', async () => {
    const env = {
      DIFY_API_BASE_URL: dify.baseUrl,
      DIFY_API_KEY: 'app-chat',
      DATABASE_URL: scratch.url,
      WECOM_BOTS: JSON.stringify({
        [WS_BOT.key]: { mode: 'websocket', botId: WS_BOT_ID, secret: WS_BOT.secret, wsUrl: ws.url },
      }),
      WECOM_WS_STANDBY_RETRY_SECONDS: '1',
      WECOM_WS_FRAME_INTERVAL_MS: '100',
      WECOM_WS_RECONNECT_BASE_MS: '20',
      STREAM_FLUSH_MS: '50',
    };
    const holder = await startGatewayProcess({ ...env, INSTANCE_ID: 'A' });
    gateways.push(holder);
    await ws.waitForSubscribed(WS_BOT_ID, 1, 15_000);
    gateways.push(await startGatewayProcess({ ...env, INSTANCE_ID: 'B' }));

    dify.script('app-chat', { kind: 'stream', events: [{ event: 'message', answer: '答到一半' }], end: 'hang' });
    const reqId = ws.pushMessage(WS_BOT_ID, wsText('会被打断的问题', { userid: 'ws-kill' }));
    const partial = await ws.waitForFrame((f) => f.reqId === reqId && streamOf(f)?.content === '答到一半', 10_000);
    // The running snapshot reaches the store within STREAM_FLUSH_MS.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await holder.kill();
    gateways.splice(gateways.indexOf(holder), 1);

    await ws.waitForSubscribed(WS_BOT_ID, 2, 10_000);
    const finish = await ws.waitForFrame(finishing(reqId), 10_000);
    expect(streamOf(finish)).toEqual({
      id: streamOf(partial)?.id,
      finish: true,
      content: `答到一半\n\n${DEFAULT_TEXTS.OWNER_LOST}`,
    });
    expect(finish.connId).not.toBe(partial.connId);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(ws.frames.filter(finishing(reqId))).toHaveLength(1);
    expect(ws.frames.filter((f) => f.cmd === 'aibot_send_msg')).toEqual([]);

    // The new holder answers the next message as usual.
    const next = ws.pushMessage(WS_BOT_ID, wsText('接着问', { userid: 'ws-kill' }));
    expect(streamOf(await ws.waitForFrame(finishing(next), 10_000))?.content).toBe('收到：接着问');
  }, 60000);
});

describe('a long-connection answer left running by a previous life of the gateway', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gw-ws-orphan-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is finished when the bot connects again; a refused frame falls back to a pushed message', async () => {
    const db = await openDatabase({ databaseUrl: undefined, usePgEnv: false, dataDir, onError: () => undefined });
    const meta = {
      id: 's_left_behind',
      msgid: 'msg-left-behind',
      botKey: WS_BOT.key,
      aibotid: WS_BOT_ID,
      userid: 'ws-orphan',
      chatid: undefined,
      chattype: 'single' as const,
      responseUrl: undefined,
      receivedAt: Date.now() - 60_000,
      // Not a req_id this connection was sent: WeCom refuses the finishing frame (846605).
      reqId: 'req-of-the-old-connection',
    };
    await new StreamRows(db).insert(meta, { content: DEFAULT_TEXTS.THINKING, finish: false }, 'i_gone');
    await db.close();

    const h = await startHarness({ database: { kind: 'embedded', dataDir }, websocket: true });
    try {
      const ws = h.ws as FakeWecomWs;
      const pushed = await ws.waitForFrame((f) => f.cmd === 'aibot_send_msg', 10_000);
      expect(pushed.body).toMatchObject({
        chatid: 'ws-orphan',
        msgtype: 'markdown',
        markdown: { content: DEFAULT_TEXTS.OWNER_LOST },
      });
      expect(ws.frames.filter((f) => f.reqId === meta.reqId && f.cmd === 'aibot_respond_msg')).toHaveLength(1);
      const { rows } = await h.db.query<{ finish: boolean }>('SELECT finish FROM streams WHERE id = $1', [meta.id]);
      expect(rows).toEqual([{ finish: true }]);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(ws.frames.filter((f) => f.cmd === 'aibot_send_msg')).toHaveLength(1);
    } finally {
      await h.close();
    }
  }, 60000);
});
