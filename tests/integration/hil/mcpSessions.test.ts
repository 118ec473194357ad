/**
 * The MCP sessions of one instance (issue #15 scope 2): kept in memory, closed after an idle time, at
 * most `maxSessions` — a new one closes the longest idle session, never one whose tool call waits.
 */
import type { Harness } from '../harness';
import { API_KEY, type Connected, INIT, connect, post, startMcpHarness } from './mcpKit';

const LIST = JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' });

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A tools/list on the session, raw: its HTTP status (the body is not read further). */
async function statusOf(h: Harness, session: Connected): Promise<number> {
  const res = await post(h, LIST, {
    authorization: `Bearer ${API_KEY}`,
    'mcp-session-id': session.transport.sessionId!,
  });
  await res.body?.cancel();
  return res.status;
}

/** A tool call that waits (until aborted) in a chat of its own. */
function waiting(session: Connected, chat: string, abort: AbortController): Promise<unknown> {
  return session.client
    .callTool({ name: 'send_and_wait_reply', arguments: { message: '等一下', chat_id: chat } }, undefined, {
      signal: abort.signal,
    })
    .catch(() => undefined);
}

async function retried<T>(work: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i += 1) {
    try {
      return await work();
    } catch (err) {
      if (i === 40) throw err;
      await sleep(25);
    }
  }
}

describe('MCP sessions past their idle time', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startMcpHarness({ sessionIdleMs: 300 });
  });
  afterAll(() => h.close());

  it('an idle session is closed (404, the client must initialize again); one with a call waiting stays', async () => {
    const idle = await connect(h);
    const busy = await connect(h);
    const abort = new AbortController();
    const call = waiting(busy, 'wsbot/single:idletest', abort);
    await sleep(900);
    expect(await statusOf(h, idle)).toBe(404);
    await expect(idle.client.listTools()).rejects.toMatchObject({ code: 404 });
    expect(await statusOf(h, busy)).toBe(200);
    abort.abort();
    await call;
    const again = await connect(h);
    expect((await again.client.listTools()).tools).toHaveLength(4);
    await Promise.all([idle.client.close(), busy.client.close(), again.client.close()]);
  });
});

describe('MCP sessions at the cap', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startMcpHarness({ maxSessions: 2 });
  });
  afterAll(() => h.close());

  it('a new session closes the longest idle one; when every session waits, 503', async () => {
    const first = await connect(h);
    const second = await connect(h);
    const third = await connect(h);
    expect([await statusOf(h, first), await statusOf(h, second), await statusOf(h, third)]).toEqual([404, 200, 200]);
    const aborts = [new AbortController(), new AbortController()];
    const calls = [waiting(second, 'wsbot/single:capa', aborts[0]!), waiting(third, 'wsbot/single:capb', aborts[1]!)];
    await sleep(200);
    const full = await post(h, JSON.stringify(INIT), { authorization: `Bearer ${API_KEY}` });
    expect([full.status, full.headers.get('retry-after')]).toEqual([503, '60']);
    expect(await full.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 } });
    for (const abort of aborts) abort.abort();
    await Promise.all(calls);
    // The server ends the aborted calls (and cancels their requests) a moment after the client gave up.
    const fourth = await retried(() => connect(h));
    expect((await fourth.client.listTools()).tools).toHaveLength(4);
    await Promise.all([first, second, third, fourth].map((c) => c.client.close()));
  });
});
