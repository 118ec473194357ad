/**
 * The long connection itself (issue #8 scope 1, 5, 6): /readyz shows each websocket bot's state, a
 * dropped link is re-established and the answer in progress resumes on it, a refused secret is
 * logged loudly (never printed) and retried with backoff, a takeover is not fought, a link whose pings
 * go unanswered is replaced, and a websocket bot sits next to callback bots in one process.
 */
import { DEFAULT_TEXTS } from '../../app/config/texts';
import { loopbackRequest } from '../fakes/shared/loopbackRequest';
import { WS_BOT_ID, wsText } from '../fakes/fakeWecomWs';
import { type Harness, WS_BOT, startHarness } from './harness';
import { streamOf, wsChat } from './wsChat';
import { until } from '../helpers/until';

async function readyz(h: Harness): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await loopbackRequest(`${h.url}/readyz`, { method: 'GET' });
  return { status: res.status, body: JSON.parse(res.text) as Record<string, unknown> };
}

/** The harness's callback bot removed: readiness then follows the websocket bot (see compose.ts readiness). */
const WS_ONLY = { WECOM_TOKEN: '', WECOM_ENCODING_AES_KEY: '' };

const ws = (h: Harness): NonNullable<Harness['ws']> => h.ws as NonNullable<Harness['ws']>;
const slowAnswer = (parts: string[]): { kind: 'stream'; events: Array<Record<string, unknown>>; delayMs: number } => ({
  kind: 'stream',
  events: [...parts.map((answer) => ({ event: 'message', answer })), { event: 'message_end' }],
  delayMs: 120,
});

describe('the long connection', () => {
  it('reports the link in /readyz and resumes an answer on the new link after a drop', async () => {
    const h = await startHarness({ websocket: true });
    try {
      await until(async () => (await readyz(h)).status === 200);
      expect((await readyz(h)).body).toEqual({
        status: 'ready',
        store: true,
        websocket: { [WS_BOT.key]: 'connected' },
      });
      h.dify.script('app-chat', slowAnswer(['一', '二', '三', '四', '五', '六', '七', '八']));
      const reqId = ws(h).pushMessage(WS_BOT_ID, wsText('慢慢说', { userid: 'u-drop' }));
      await ws(h).waitForFrame(
        (f) =>
          f.reqId === reqId &&
          (streamOf(f)?.content.length ?? 0) >= 2 &&
          streamOf(f)?.content !== DEFAULT_TEXTS.THINKING,
      );
      ws(h).drop(WS_BOT_ID);
      await ws(h).waitForSubscribed(WS_BOT_ID, 2);
      const final = await ws(h).waitForFrame((f) => f.reqId === reqId && streamOf(f)?.finish === true, 10_000);
      expect(streamOf(final)?.content).toBe('一二三四五六七八');
      expect(final.connId).toBeGreaterThan(ws(h).frames.find((f) => f.reqId === reqId)?.connId ?? Infinity);
      h.dify.script('app-chat', slowAnswer(['新的回答']));
      expect((await wsChat(ws(h), wsText('还在吗', { userid: 'u-drop' }))).final?.content).toBe('新的回答');
      expect(h.logs.some((l) => l['msg'] === 'websocket connection lost')).toBe(true);
      const metrics = (await loopbackRequest(`${h.url}/metrics`, { method: 'GET' })).text;
      expect(metrics).toContain(`wecom_ws_connected{bot="${WS_BOT.key}"} 1`);
      expect(metrics).toMatch(/wecom_ws_frames_total\{cmd="aibot_respond_msg",outcome="sent"\} [1-9]/);
    } finally {
      await h.close();
    }
  });

  it('logs a refused secret loudly without printing it, retries with backoff, and serves once it is accepted', async () => {
    const h = await startHarness({ websocket: { secret: 'a-wrong-secret-4711' }, env: WS_ONLY });
    try {
      await until(() => ws(h).authFailures(WS_BOT_ID) >= 2);
      expect(await readyz(h)).toEqual({
        status: 503,
        body: { status: 'not ready', store: true, websocket: { [WS_BOT.key]: 'auth_failed' } },
      });
      expect(h.logs.some((l) => l['level'] === 50 && String(l['msg']).includes('subscribe refused'))).toBe(true);
      expect(h.logText()).not.toContain('a-wrong-secret-4711');
      ws(h).setSecret(WS_BOT_ID, 'a-wrong-secret-4711');
      await ws(h).waitForSubscribed(WS_BOT_ID);
      await until(async () => (await readyz(h)).status === 200);
      expect((await wsChat(ws(h), wsText('你好', { userid: 'u-auth' }))).final?.content).toContain('收到：你好');
    } finally {
      await h.close();
    }
  });

  it('gives up after the configured number of refused subscribes', async () => {
    const h = await startHarness({ websocket: { secret: 'still-wrong' }, env: { WECOM_WS_MAX_AUTH_FAILURES: '2' } });
    try {
      await until(() => h.logs.some((l) => String(l['msg']).startsWith('websocket bot gave up')));
      const failures = ws(h).authFailures(WS_BOT_ID);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(ws(h).authFailures(WS_BOT_ID)).toBe(failures);
      // This instance also serves a callback bot: it stays ready, and says what is wrong.
      expect(await readyz(h)).toEqual({
        status: 200,
        body: { status: 'ready', store: true, websocket: { [WS_BOT.key]: 'auth_failed' } },
      });
    } finally {
      await h.close();
    }
  });

  it('does not fight a takeover by another connection of the same bot', async () => {
    const h = await startHarness({ websocket: true, env: WS_ONLY });
    try {
      await ws(h).waitForSubscribed(WS_BOT_ID);
      const other = await ws(h).connectAs(WS_BOT_ID, WS_BOT.secret);
      await until(async () => (await readyz(h)).status === 503);
      expect((await readyz(h)).body['websocket']).toEqual({ [WS_BOT.key]: 'taken_over' });
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(ws(h).subscribes(WS_BOT_ID)).toBe(2);
      expect(h.logs.some((l) => l['level'] === 50 && String(l['msg']).startsWith('websocket bot taken over'))).toBe(
        true,
      );
      other.close();
    } finally {
      await h.close();
    }
  });

  it('answers pings, and replaces a link whose pings go unanswered', async () => {
    const h = await startHarness({ websocket: true, heartbeatMs: 60 });
    try {
      await ws(h).waitForSubscribed(WS_BOT_ID);
      await until(() => ws(h).frames.filter((f) => f.cmd === 'ping').length >= 3);
      expect(ws(h).subscribes(WS_BOT_ID)).toBe(1);
      ws(h).setPingAcks(false);
      await ws(h).waitForSubscribed(WS_BOT_ID, 2);
      ws(h).setPingAcks(true);
      expect((await wsChat(ws(h), wsText('你好', { userid: 'u-ping' }))).final?.content).toContain('收到：你好');
    } finally {
      await h.close();
    }
  });

  it('ignores a frame whose body is not a message and keeps serving, next to a callback bot', async () => {
    const h = await startHarness({ websocket: true });
    try {
      await ws(h).waitForSubscribed(WS_BOT_ID);
      const bad = ws(h).pushMessage(WS_BOT_ID, { msgtype: 'text', text: { content: '缺字段' } });
      expect((await wsChat(ws(h), wsText('你好', { userid: 'u-after-bad' }))).final?.content).toContain('收到：你好');
      expect(ws(h).frames.some((f) => f.reqId === bad)).toBe(false);
      expect(h.logs.some((l) => String(l['msg']).startsWith('websocket frame ignored'))).toBe(true);
      expect((await h.wecom().chat('回调也行', { pollIntervalMs: 20, maxPolls: 200 })).final?.content).toContain(
        '收到：回调也行',
      );
    } finally {
      await h.close();
    }
  });

  it('closes a stream still running at the window and pushes the whole answer when it is ready', async () => {
    const h = await startHarness({ websocket: true, windowMs: 500 });
    try {
      await ws(h).waitForSubscribed(WS_BOT_ID);
      h.dify.script('app-chat', slowAnswer(['很', '长', '的', '回', '答', '。']));
      const t = await wsChat(ws(h), wsText('长问题', { userid: 'u-window' }));
      expect(t.final?.content.endsWith(DEFAULT_TEXTS.STILL_WORKING)).toBe(true);
      const pushed = await ws(h).waitForFrame(
        (f) => f.cmd === 'aibot_send_msg' && f.body?.['chatid'] === 'u-window',
        5000,
      );
      expect(pushed.body).toEqual({ chatid: 'u-window', msgtype: 'markdown', markdown: { content: '很长的回答。' } });
    } finally {
      await h.close();
    }
  });

  it('serves several websocket bots at once, each on its own connection and agent', async () => {
    const second = { key: 'wsbot2', botId: 'aibWSSECOND0002', secret: 'second-secret' };
    const h = await startHarness({
      websocket: { more: [second] },
      apps: [
        { apiKey: 'app-chat', mode: 'chat' },
        { apiKey: 'app-two', mode: 'chat' },
      ],
      agents: { two: { apiKey: 'app-two' } },
      env: { WECOM_AIBOT_AGENT_MAPPING: JSON.stringify({ [second.botId]: 'two' }) },
    });
    try {
      await Promise.all([ws(h).waitForSubscribed(WS_BOT_ID), ws(h).waitForSubscribed(second.botId)]);
      await until(async () => (await readyz(h)).status === 200);
      expect((await readyz(h)).body['websocket']).toEqual({ [WS_BOT.key]: 'connected', [second.key]: 'connected' });
      const [a, b] = await Promise.all([
        wsChat(ws(h), wsText('甲', { userid: 'u1' })),
        wsChat(ws(h), wsText('乙', { userid: 'u1', aibotid: second.botId }), 10_000, second.botId),
      ]);
      expect([a.final?.content, b.final?.content]).toEqual([
        expect.stringContaining('收到：甲'),
        expect.stringContaining('收到：乙'),
      ]);
      expect(h.dify.runRequests('app-two').map((r) => (r.body as { user: string }).user)).toEqual([
        `wecom:${second.botId}:u1`,
      ]);
    } finally {
      await h.close();
    }
  });

  it('answers a message with a notice when the store cannot take it, instead of leaving it unanswered', async () => {
    const h = await startHarness({ websocket: true });
    try {
      await ws(h).waitForSubscribed(WS_BOT_ID);
      // Not awaited: the pool ends once the bot's lease session is let go (at h.close()), and takes no
      // query from now on.
      void h.db.close();
      const t = await wsChat(ws(h), wsText('存不下', { userid: 'u-store-down' }));
      expect(t.first).toMatchObject({ finish: true, content: DEFAULT_TEXTS.ANSWER_FAILED });
      expect(h.logs.some((l) => l['msg'] === 'websocket message could not be accepted')).toBe(true);
      // Message text may only appear at debug (the SDK logs frames there).
      expect(
        h.logs
          .filter((l) => Number(l['level']) >= 30)
          .map((l) => JSON.stringify(l))
          .join('\n'),
      ).not.toContain('存不下');
    } finally {
      await h.close();
    }
  });

  it('while shutting down, finishes the running answer and tells a new message to send again', async () => {
    const h = await startHarness({ websocket: true, shutdownGraceMs: 5000 });
    try {
      await ws(h).waitForSubscribed(WS_BOT_ID);
      h.dify.script('app-chat', slowAnswer(['慢', '的回答']));
      const running = ws(h).pushMessage(WS_BOT_ID, wsText('慢问题', { userid: 'u-drain' }));
      await ws(h).waitForFrame((f) => f.reqId === running);
      const draining = h.gateway.shutdown();
      const late = await wsChat(ws(h), wsText('新问题', { userid: 'u-late' }));
      expect(late.first).toMatchObject({ finish: true, content: DEFAULT_TEXTS.SERVICE_RESTARTING });
      await draining;
      expect(
        streamOf(
          ws(h)
            .frames.filter((f) => f.reqId === running)
            .at(-1) as never,
        )?.content,
      ).toBe('慢的回答');
    } finally {
      await h.close();
    }
  });
});
