/**
 * The measure, at the real times (hil-clients.md "The MCP TypeScript SDK client"): a person who
 * answers after 75 s, against the SDK client's default 60 s request timeout and the gateway's default
 * progress every 15 s. mcpWaits.test.ts checks the same mechanism scaled down; this one costs 75 s of
 * wall time (little CPU) so that the defaults themselves are proven.
 */
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import { wsText } from '../../fakes/fakeWecomWs';
import type { Harness } from '../harness';
import { wsChat } from '../wsChat';
import { lastSeq, pushTo } from './hilKit';
import { type Connected, MCP_USER, connect, startMcpHarness, structured } from './mcpKit';

const ANSWER_AFTER_MS = 75_000;

describe('a 75 s wait at the real defaults', () => {
  let h: Harness;
  let mcp: Connected;
  beforeAll(async () => {
    h = await startMcpHarness();
    mcp = await connect(h);
  });
  afterAll(async () => {
    await mcp.client.close();
    await h.close();
  });

  it('outlives the client default 60 s through progress every 15 s with resetTimeoutOnProgress', async () => {
    const seq = lastSeq(h);
    const progressAt: number[] = [];
    const started = Date.now();
    const call = mcp.client.callTool(
      { name: 'send_and_wait_reply', arguments: { message: '周末发版可以吗？', project_name: 'release' } },
      undefined,
      { resetTimeoutOnProgress: true, onprogress: (_p: Progress) => progressAt.push(Date.now() - started) },
    );
    await pushTo(h, MCP_USER, seq);
    await new Promise((resolve) => setTimeout(resolve, ANSWER_AFTER_MS - (Date.now() - started)));
    await wsChat(h.ws!, wsText('可以，发吧', { userid: MCP_USER }));
    expect(structured(await call)).toMatchObject({ status: 'success', replies: [{ content: '可以，发吧' }] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(ANSWER_AFTER_MS);
    // 15, 30, 45, 60 and maybe 75 s: never a gap the client's 60 s timer could see.
    expect(progressAt.length).toBeGreaterThanOrEqual(4);
    const gaps = progressAt.map((at, i) => at - (i === 0 ? 0 : (progressAt[i - 1] as number)));
    expect(Math.max(...gaps)).toBeLessThan(20_000);
  }, 120_000);
});
