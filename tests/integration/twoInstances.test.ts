/**
 * Two gateway processes on one PostgreSQL behind "one URL" (issue #4): WeCom's polls may reach either
 * instance, a retried msgid may land on the other one, and an instance may die mid-turn.
 */
import type { FakeDify } from '../fakes/fakeDify';
import { type FakeWecomClient, asStreamReply, randomMsgid, textPayload } from '../fakes/fakeWecom';
import { describeWithPostgres } from '../helpers/databases';
import { DEFAULT_TEXTS } from '../../app/config/texts';
import type { GatewayProcess } from './gatewayProcess';
import { type TwoGateways, startTwoGateways } from './twoGateways';

function answerEvents(parts: string[]): Array<Record<string, unknown>> {
  return [...parts.map((answer) => ({ event: 'message', answer })), { event: 'message_end' }];
}

describeWithPostgres('two instances on one PostgreSQL', () => {
  let two: TwoGateways | undefined;
  let dify: FakeDify;
  let a: GatewayProcess;
  let b: GatewayProcess;
  const client = (gw: GatewayProcess): FakeWecomClient => (two as TwoGateways).wecom(gw);

  beforeAll(async () => {
    two = await startTwoGateways({
      STREAM_FLUSH_MS: '50',
      STREAM_OWNER_TIMEOUT_SECONDS: '3',
      SHUTDOWN_GRACE_SECONDS: '2',
    });
    ({ dify, a, b } = two);
  }, 60000);

  afterAll(async () => {
    const codes = await two?.stop();
    // B shuts down cleanly on SIGTERM (A was killed).
    expect(codes?.[1]).toBe(0);
  }, 30000);

  it('serves one consistent growing answer to polls alternating between the instances', async () => {
    const parts = ['第一段，', '第二段，', '第三段，', '第四段。'];
    dify.script('app-chat', { kind: 'stream', events: answerEvents(parts), delayMs: 150 });
    const first = asStreamReply(await client(a).sendText('分段回答', { userid: 'alt-user' }), 'first');
    const seen: string[] = [];
    let finishes = 0;
    for (let i = 0; i < 200 && finishes === 0; i += 1) {
      const gw = i % 2 === 0 ? b : a;
      const reply = asStreamReply(await client(gw).poll(first.id, { userid: 'alt-user' }), `poll ${i}`);
      if (reply.content !== DEFAULT_TEXTS.THINKING) seen.push(reply.content);
      if (reply.finish) finishes += 1;
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    expect(finishes).toBe(1);
    for (let i = 1; i < seen.length; i += 1) expect(seen[i]?.startsWith(seen[i - 1] as string)).toBe(true);
    expect(seen.at(-1)).toBe(parts.join(''));
  });

  it('gives the same msgid sent to both instances one stream and one Dify run', async () => {
    const before = dify.runRequests('app-chat').length;
    const payload = textPayload('同一条消息', { aibotid: 'aibFAKEBOT0001', msgid: randomMsgid(), userid: 'dup-user' });
    const [ra, rb] = await Promise.all([client(a).post(payload), client(b).post(payload)]);
    expect(asStreamReply(ra, 'A').id).toBe(asStreamReply(rb, 'B').id);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(dify.runRequests('app-chat').length - before).toBe(1);
  });

  it('finishes the stream with a notice on the other instance when the owner is killed mid-turn', async () => {
    dify.script('app-chat', { kind: 'stream', events: [{ event: 'message', answer: '开始回答' }], end: 'hang' });
    const first = asStreamReply(await client(a).sendText('会被打断', { userid: 'kill-user' }), 'first');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await a.kill();
    const killedAt = Date.now();
    let final: ReturnType<typeof asStreamReply> | undefined;
    while (final === undefined && Date.now() - killedAt < 15_000) {
      const reply = asStreamReply(await client(b).poll(first.id, { userid: 'kill-user' }), 'poll');
      if (reply.finish) final = reply;
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(final?.content).toBe(`开始回答\n\n${DEFAULT_TEXTS.OWNER_LOST}`);
    // Owner timeout 3 s, heartbeat every 1 s: noticed within about 3-4 s of the kill.
    expect(Date.now() - killedAt).toBeLessThan(6000);
  }, 30000);
});
