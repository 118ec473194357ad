/**
 * A waiting MCP tool call across instances: the call and its session live in process A, the request in
 * the shared store; the person answers through process B, and A's call returns the reply (it reads the
 * store every second for changes another instance made).
 */
import { describeWithPostgres } from '../../helpers/databases';
import type { GatewayProcess } from '../gatewayProcess';
import { type TwoGateways, startTwoGateways } from '../twoGateways';
import { API_KEY } from './hilKit';
import { connect, structured } from './mcpKit';

const POLL = { pollIntervalMs: 20, maxPolls: 500 };

describeWithPostgres('an MCP tool call on two instances', () => {
  let two: TwoGateways | undefined;
  let a: GatewayProcess;
  let b: GatewayProcess;

  beforeAll(async () => {
    two = await startTwoGateways({
      HIL_API_KEYS: JSON.stringify({ agents: { key: API_KEY, defaultChat: 'single:twinmcp' } }),
    });
    ({ a, b } = two);
  }, 60000);

  afterAll(async () => {
    await two?.stop();
  }, 30000);

  it('asked through A, answered through B: A returns the reply', async () => {
    const mcp = await connect({ url: a.url });
    const call = mcp.client.callTool({ name: 'send_and_wait_reply', arguments: { message: '两个实例？' } });
    const onB = two!.wecom(b);
    let list = '';
    for (let i = 0; i < 100 && !list.includes('两个实例？'); i += 1) {
      list = (await onB.chat('待办', { ...POLL, userid: 'twinmcp' })).final?.content ?? '';
      if (!list.includes('两个实例？')) await new Promise((r) => setTimeout(r, 50));
    }
    const shortId = /\[#([0-9a-f]{8})/.exec(list)?.[1];
    expect(shortId).toBeDefined();
    const answer = await onB.chat(`#${shortId} 可以`, { ...POLL, userid: 'twinmcp' });
    expect(answer.final?.content).toBe(`已收到你的回复 [#${shortId}] ✅`);
    expect(structured(await call)).toMatchObject({
      status: 'success',
      replies: [{ content: '可以', from_user: { userid: 'twinmcp' } }],
    });
    await mcp.client.close();
  });
});
