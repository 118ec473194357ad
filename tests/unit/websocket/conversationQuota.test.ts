import { ConversationQuota } from '../../../app/websocket/conversationQuota';

/** WeCom's per-conversation send limits on the long connection (wecom-aibot-protocol.md §12). */
describe('ConversationQuota', () => {
  let now = 0;
  const clock = (): number => now;

  beforeEach(() => {
    now = 1_000_000;
  });

  it('lets a conversation send up to the per-minute limit, then says how long to wait', () => {
    const quota = new ConversationQuota(3, 1000, clock);
    for (let i = 0; i < 3; i += 1) {
      expect(quota.waitMs('a')).toBe(0);
      quota.note('a');
      now += 1000;
    }
    // The oldest of the three was sent 3 s ago: a slot frees 57 s from now.
    expect(quota.waitMs('a')).toBe(57_000);
    expect(quota.waitMs('b')).toBe(0);
    now += 57_000;
    expect(quota.waitMs('a')).toBe(0);
  });

  it('applies the hourly limit too', () => {
    const quota = new ConversationQuota(100, 5, clock);
    for (let i = 0; i < 5; i += 1) {
      quota.note('a');
      now += 2 * 60_000;
    }
    expect(quota.waitMs('a')).toBe(3_600_000 - 10 * 60_000);
    now += 3_600_000;
    expect(quota.waitMs('a')).toBe(0);
  });

  it('acquire waits for a free slot, then counts the message', async () => {
    let offset = 0;
    const quota = new ConversationQuota(1, 1000, () => Date.now() + offset);
    await quota.acquire('a');
    offset = 59_950; // the first message now looks 59.95 s old: the next slot frees in 50 ms
    const started = Date.now();
    await quota.acquire('a');
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
    expect(quota.waitMs('a')).toBeGreaterThan(59_000);
  });

  it('forgets conversations that have been quiet for an hour', () => {
    const quota = new ConversationQuota(1, 1000, clock);
    const sent = (quota as unknown as { sent: Map<string, number[]> }).sent;
    for (let i = 0; i < 1000; i += 1) quota.note(`old-${i}`);
    now += 3_600_001;
    // Every thousandth message sweeps the map.
    for (let i = 0; i < 1000; i += 1) quota.note(`new-${i}`);
    expect(sent.size).toBe(1000);
    expect([...sent.keys()].every((key) => key.startsWith('new-'))).toBe(true);
  });
});
