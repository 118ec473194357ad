import type { AdmissionCounts, AdmissionLimits } from '../../../app/store/admissionCounts';
import type { Database } from '../../../app/store/database';
import { MemoryAdmissionCounts } from '../../../app/store/memoryAdmissionCounts';
import { migrate } from '../../../app/store/migrations';
import { createPgDatabase } from '../../../app/store/pgDatabase';
import { MIGRATIONS } from '../../../app/store/schema';
import { SqlAdmissionCounts } from '../../../app/store/sqlAdmissionCounts';
import { forEachDatabase, forPostgres } from '../../helpers/databases';

const LIMITS: AdmissionLimits = { perMinute: 3, concurrent: 2, runningExpiryMs: 600_000 };
const T0 = 1_700_000_000_000;

/** The same behaviour from the in-memory counts and the SQL on both databases. */
function behaves(name: string, make: () => AdmissionCounts): void {
  let n = 0;
  const user = (): string => `${name}-user-${(n += 1)}`;

  it(`${name}: admits up to the per-minute limit, refuses without counting, frees the window after a minute`, async () => {
    const counts = make();
    const u = user();
    const limits = { ...LIMITS, concurrent: 10 };
    const takes = [];
    for (let i = 0; i < 4; i += 1) takes.push(await counts.take(u, undefined, T0 + i, limits));
    expect(takes).toEqual(['admitted', 'admitted', 'admitted', 'rate_limited']);
    expect(await counts.take(user(), undefined, T0, limits)).toBe('admitted');
    // The refused message did not count: the first admission leaves the window first.
    expect(await counts.take(u, undefined, T0 + 60_000, limits)).toBe('admitted');
    expect(await counts.take(u, undefined, T0 + 60_000, limits)).toBe('rate_limited');
  });

  it(`${name}: caps running turns before counting the rate, and frees a slot on leave`, async () => {
    const counts = make();
    const u = user();
    const limits = { ...LIMITS, perMinute: 0 };
    expect(await counts.take(u, 't1', T0, limits)).toBe('admitted');
    expect(await counts.take(u, 't2', T0, limits)).toBe('admitted');
    expect(await counts.take(u, 't3', T0, limits)).toBe('too_many_running');
    expect(await counts.take(u, undefined, T0, limits)).toBe('too_many_running');
    await counts.leave(u, 't1');
    await counts.leave(u, 't1');
    expect(await counts.take(u, undefined, T0, limits)).toBe('admitted');
    expect(await counts.take(u, 't4', T0, limits)).toBe('admitted');
    expect(await counts.take(u, 't5', T0, limits)).toBe('too_many_running');
    // With both limits reached, the cap is named.
    const both = { ...LIMITS, perMinute: 2 };
    const v = user();
    expect([await counts.take(v, 'x1', T0, both), await counts.take(v, 'x2', T0, both)]).toEqual([
      'admitted',
      'admitted',
    ]);
    expect(await counts.take(v, 'x3', T0, both)).toBe('too_many_running');
  });

  it(`${name}: forgets this instance's running turns`, async () => {
    const counts = make();
    const u = user();
    expect(await counts.take(u, 'f1', T0, LIMITS)).toBe('admitted');
    expect(await counts.take(u, 'f2', T0, LIMITS)).toBe('admitted');
    await counts.forgetInstance();
    expect(await counts.take(u, 'f3', T0, LIMITS)).toBe('admitted');
  });
}

describe('MemoryAdmissionCounts', () => {
  behaves('memory', () => new MemoryAdmissionCounts());
});

forEachDatabase('SqlAdmissionCounts', (getDb) => {
  beforeAll(async () => {
    await migrate(getDb(), MIGRATIONS);
  });

  behaves('sql', () => new SqlAdmissionCounts(getDb(), 'A'));

  it('shares the counts of one user between instances, and ignores running turns past their expiry', async () => {
    const a = new SqlAdmissionCounts(getDb(), 'A');
    const b = new SqlAdmissionCounts(getDb(), 'B');
    const limits = { ...LIMITS, perMinute: 0, concurrent: 1 };
    expect(await a.take('shared', 'a1', T0, limits)).toBe('admitted');
    expect(await b.take('shared', 'b1', T0 + 1, limits)).toBe('too_many_running');
    expect(await b.take('shared', 'b1', T0 + limits.runningExpiryMs + 1, limits)).toBe('admitted');
    // B's start (a reused INSTANCE_ID) drops B's entries, not A's.
    expect(await a.take('shared-2', 'a2', T0, limits)).toBe('admitted');
    await b.forgetInstance();
    expect(await b.take('shared-2', 'b2', T0, limits)).toBe('too_many_running');
    await a.forgetInstance();
    expect(await b.take('shared-2', 'b2', T0, limits)).toBe('admitted');
  });

  it('keeps one row per user, with no more times than the per-minute limit', async () => {
    const counts = new SqlAdmissionCounts(getDb(), 'A');
    const limits = { ...LIMITS, concurrent: 100 };
    const takes = [];
    for (let i = 0; i < 10; i += 1) takes.push(await counts.take('bounded', `r${i}`, T0 + i * 10_000, limits));
    expect(takes.map((t) => t[0])).toEqual(['a', 'a', 'a', 'r', 'r', 'r', 'a', 'a', 'a', 'r']);
    const { rows } = await getDb().query<{ sent: number; running: number }>(
      `SELECT cardinality(sent_ms) AS sent, (SELECT count(*)::int FROM jsonb_object_keys(running)) AS running
         FROM user_admission WHERE user_key = 'bounded'`,
    );
    expect(rows).toEqual([{ sent: 3, running: 6 }]);
  });
});

forPostgres('SqlAdmissionCounts under concurrency', (getDb, target) => {
  let second: Database | undefined;
  beforeAll(async () => {
    await migrate(getDb(), MIGRATIONS);
    second = createPgDatabase({ connectionString: target.connectionString(), onError: () => undefined });
  });
  afterAll(() => second?.close());

  it('admits exactly the limit among 20 messages of one user sent at once through two pools', async () => {
    const instances = [new SqlAdmissionCounts(getDb(), 'A'), new SqlAdmissionCounts(second as Database, 'B')];
    const rate = { perMinute: 5, concurrent: 100, runningExpiryMs: 600_000 };
    const capped = { perMinute: 0, concurrent: 3, runningExpiryMs: 600_000 };
    const burst = (user: string, limits: AdmissionLimits) =>
      Promise.all(
        Array.from({ length: 20 }, (_, i) => (instances[i % 2] as SqlAdmissionCounts).take(user, `t${i}`, T0, limits)),
      );
    const byRate = await burst('burst-rate', rate);
    expect(byRate.filter((r) => r === 'admitted')).toHaveLength(5);
    expect(byRate.filter((r) => r === 'rate_limited')).toHaveLength(15);
    const byCap = await burst('burst-cap', capped);
    expect(byCap.filter((r) => r === 'admitted')).toHaveLength(3);
    expect(byCap.filter((r) => r === 'too_many_running')).toHaveLength(17);
  });
});
