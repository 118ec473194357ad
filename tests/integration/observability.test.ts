/**
 * What operators watch (issue #7 scope 3-4): /metrics moves after a chat, /readyz follows the store,
 * and log lines never carry secrets or message text at info level.
 */
import { loopbackRequest } from '../fakes/shared/loopbackRequest';
import { BOT, type Harness, startHarness } from './harness';

const POLL = { pollIntervalMs: 20, maxPolls: 500 };

function value(metrics: string, line: string): number {
  const found = metrics.split('\n').find((l) => l.startsWith(line));
  return found === undefined ? 0 : Number(found.slice(found.lastIndexOf(' ') + 1));
}

describe('metrics and readiness', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('counts callbacks, latencies, turns and dedupe hits in /metrics after a chat', async () => {
    const client = h.wecom();
    const t = await client.chat('计数的问题', { ...POLL, userid: 'metrics-user', msgid: 'metrics-msgid-1' });
    await client.sendText('计数的问题', { userid: 'metrics-user', msgid: 'metrics-msgid-1' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const metrics = (await loopbackRequest(`${h.url}/metrics`, { method: 'GET' })).text;
    expect(value(metrics, 'wecom_callbacks_total{type="text",outcome="ok"}')).toBe(2);
    expect(value(metrics, 'wecom_callbacks_total{type="stream",outcome="ok"}')).toBe(t.polls);
    expect(value(metrics, 'wecom_first_reply_seconds_count')).toBe(2);
    expect(value(metrics, 'wecom_poll_seconds_count')).toBe(t.polls);
    expect(value(metrics, 'gateway_turns_total{outcome="answered"}')).toBe(1);
    expect(value(metrics, 'wecom_dedupe_hits_total')).toBe(1);
    expect(value(metrics, 'gateway_active_turns')).toBe(0);
    expect(metrics).toContain('process_resident_memory_bytes');
  });

  it('counts rejected callbacks by their code', async () => {
    const client = h.wecom();
    await client.post(
      { msgtype: 'text', msgid: 'x', aibotid: 'a', chattype: 'single', from: { userid: 'u' }, text: { content: 'x' } },
      { tamperSignature: true },
    );
    const metrics = (await loopbackRequest(`${h.url}/metrics`, { method: 'GET' })).text;
    expect(value(metrics, 'wecom_callbacks_total{type="unknown",outcome="SIGNATURE_INVALID"}')).toBe(1);
  });

  it('reports ready while the store answers, and not ready once it is closed', async () => {
    const ready = await loopbackRequest(`${h.url}/readyz`, { method: 'GET' });
    expect([ready.status, JSON.parse(ready.text)]).toEqual([200, { status: 'ready', store: true }]);
    const other = await startHarness();
    await other.db.close();
    try {
      const notReady = await loopbackRequest(`${other.url}/readyz`, { method: 'GET' });
      expect(notReady.status).toBe(503);
    } finally {
      await other.close().catch(() => undefined);
    }
  });

  it('keeps tokens, keys, API keys and message text out of info-level logs', () => {
    const info = h.logs
      .filter((line) => (line['level'] as number) >= 30)
      .map((line) => JSON.stringify(line))
      .join('\n');
    expect(info.length).toBeGreaterThan(0);
    for (const secret of [BOT.token, BOT.encodingAesKey, 'app-chat', '计数的问题', '收到'])
      expect(info).not.toContain(secret);
  });
});
