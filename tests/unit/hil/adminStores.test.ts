import { SqlApiKeys } from '../../../app/hil/store/sqlApiKeys';
import { SqlOperators } from '../../../app/hil/store/sqlOperators';
import { SqlSettings } from '../../../app/hil/store/sqlSettings';
import { migrate } from '../../../app/store/migrations';
import { MIGRATIONS } from '../../../app/store/schema';
import { forEachDatabase } from '../../helpers/databases';

forEachDatabase('admin stores (api keys, operators, settings)', (getDb) => {
  beforeAll(async () => {
    await migrate(getDb(), MIGRATIONS);
  });

  it('SqlApiKeys keeps a hash and a prefix, lists without them, refuses a taken name, revokes once', async () => {
    const keys = new SqlApiKeys(getDb());
    const made = await keys.create('agent-a', 'ops@example.com', 1_700_000_000_000);
    if (!made.ok) throw new Error('expected a new key');
    expect(made.info).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'agent-a',
      keyPrefix: made.key.slice(0, 8),
      active: true,
      createdBy: 'ops@example.com',
      createdAt: 1_700_000_000_000,
      revokedAt: null,
    });
    const { rows } = await getDb().query<Record<string, unknown>>('SELECT * FROM hil_api_keys');
    expect(JSON.stringify(rows)).not.toContain(made.key);
    expect(await keys.create('agent-a', null)).toEqual({ ok: false, reason: 'duplicate_name' });
    expect((await keys.list()).map((k) => k.name)).toEqual(['agent-a']);
    expect(JSON.stringify(await keys.list())).not.toMatch(/hash|ghl_[A-Za-z0-9_-]{20}/);
    const revoked = await keys.revoke(made.info.id, 1_700_000_060_000);
    expect(revoked).toMatchObject({ active: false, revokedAt: 1_700_000_060_000 });
    // Again: the first revoke's time stays.
    expect(await keys.revoke(made.info.id, 1_700_000_120_000)).toMatchObject({ revokedAt: 1_700_000_060_000 });
    expect(await keys.revoke('not-a-uuid')).toBeUndefined();
    expect(await keys.revoke('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect(await keys.byId('nope')).toBeUndefined();
  });

  it('SqlOperators creates once per e-mail and finds by e-mail and id', async () => {
    const operators = new SqlOperators(getDb());
    const first = await operators.create('root@example.com', 'Root', 'scrypt$hash', 1_700_000_000_000);
    expect(first.created).toBe(true);
    expect(first.operator).toMatchObject({ email: 'root@example.com', fullName: 'Root', isActive: true });
    const again = await operators.create('root@example.com', 'Other', 'scrypt$other');
    expect(again).toEqual({ operator: first.operator, created: false });
    expect(await operators.byEmail('root@example.com')).toEqual(first.operator);
    expect(await operators.byId(first.operator.id)).toEqual(first.operator);
    expect(await operators.byId('not-a-uuid')).toBeUndefined();
    expect(await operators.byEmail('nobody@example.com')).toBeUndefined();
  });

  it('SqlSettings keeps the first value made, even when two callers race', async () => {
    const a = new SqlSettings(getDb());
    const b = new SqlSettings(getDb());
    const [x, y] = await Promise.all([a.getOrCreate('race', () => 'from-a'), b.getOrCreate('race', () => 'from-b')]);
    expect(x).toBe(y);
    let made = 0;
    expect(
      await a.getOrCreate('race', () => {
        made += 1;
        return 'late';
      }),
    ).toBe(x);
    expect(made).toBe(0);
  });
});
