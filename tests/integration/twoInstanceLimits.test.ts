/**
 * A user's limits on two gateway processes sharing one PostgreSQL (issue #14 scope 5): the messages
 * per minute and the turns running at once count the user's messages on both instances together,
 * over the real encrypted callback route.
 */
import type { FakeDify } from '../fakes/fakeDify';
import { type FakeWecomClient, asStreamReply } from '../fakes/fakeWecom';
import { describeWithPostgres } from '../helpers/databases';
import { DEFAULT_TEXTS } from '../../app/config/texts';
import type { GatewayProcess } from './gatewayProcess';
import { type TwoGateways, startTwoGateways } from './twoGateways';
import { until } from '../helpers/until';

const POLL = { pollIntervalMs: 30, maxPolls: 300 };

function asked(dify: FakeDify, question: string): boolean {
  return dify.runRequests('app-chat').some((r) => JSON.stringify(r.body).includes(question));
}

describeWithPostgres('a user’s limits on two instances on one PostgreSQL', () => {
  let two: TwoGateways | undefined;
  let dify: FakeDify;
  let a: GatewayProcess;
  let b: GatewayProcess;
  const client = (gw: GatewayProcess): FakeWecomClient => (two as TwoGateways).wecom(gw);

  beforeAll(async () => {
    two = await startTwoGateways({
      DIFY_IDLE_TIMEOUT_SECONDS: '2',
      USER_MESSAGES_PER_MINUTE: '3',
      USER_CONCURRENT_TURNS: '1',
      STREAM_FLUSH_MS: '50',
    });
    ({ dify, a, b } = two);
  }, 60000);

  afterAll(async () => {
    expect(await two?.stop()).toEqual([0, 0]);
  }, 30000);

  it('counts the messages per minute of one user sent alternately to both instances together', async () => {
    const finals: string[] = [];
    for (const [i, gw] of [a, b, a].entries()) {
      const t = await client(gw).chat(`第${i + 1}个问题`, { ...POLL, userid: 'rate-user' });
      finals.push(t.final?.content ?? '(unfinished)');
    }
    expect(finals).toEqual(['收到：第1个问题', '收到：第2个问题', '收到：第3个问题']);
    // The fourth within the minute is refused on either instance, although each saw at most two.
    for (const gw of [b, a]) {
      const refused = asStreamReply(await client(gw).sendText('第四个问题', { userid: 'rate-user' }), 'fourth');
      expect(refused).toMatchObject({ finish: true, content: DEFAULT_TEXTS.RATE_LIMITED });
    }
    // Another user is not affected.
    const other = await client(b).chat('别人的问题', { ...POLL, userid: 'rate-other' });
    expect(other.final?.content).toBe('收到：别人的问题');
    expect(asked(dify, '第四个问题')).toBe(false);
  });

  it('refuses on B a second turn of a user whose first is still running on A, and admits it once that ended', async () => {
    dify.script('app-chat', { kind: 'stream', events: [{ event: 'message', answer: '慢慢想' }], end: 'hang' });
    const held = asStreamReply(await client(a).sendText('很慢的问题', { userid: 'cap-user' }), 'held');
    expect(held).toMatchObject({ finish: false, content: DEFAULT_TEXTS.THINKING });
    await until(() => asked(dify, '很慢的问题'));
    const refused = asStreamReply(await client(b).sendText('再问一个', { userid: 'cap-user' }), 'second');
    expect(refused).toMatchObject({ finish: true, content: DEFAULT_TEXTS.TOO_MANY_RUNNING });
    // Somebody else is free to ask meanwhile.
    expect((await client(b).chat('我也问', { ...POLL, userid: 'cap-other' })).final?.content).toBe('收到：我也问');

    // The held run ends at the idle timeout (2 s); then its slot is free on every instance.
    let final: ReturnType<typeof asStreamReply> | undefined;
    for (let i = 0; i < 100 && final === undefined; i += 1) {
      const reply = asStreamReply(await client(b).poll(held.id, { userid: 'cap-user' }), 'poll');
      if (reply.finish) final = reply;
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(final?.content.startsWith('慢慢想')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await client(b).chat('现在可以了吗', { ...POLL, userid: 'cap-user' })).final?.content).toBe(
      '收到：现在可以了吗',
    );
  }, 30000);
});
