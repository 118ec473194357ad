import type { Database } from '../../../app/store/database';
import { type Migration, migrate } from '../../../app/store/migrations';
import { createPgDatabase } from '../../../app/store/pgDatabase';
import { MIGRATIONS } from '../../../app/store/schema';
import { forEachDatabase } from '../../helpers/databases';

/** The versions the app's own schema has (each test above them adds its own). */
const SCHEMA_VERSIONS = MIGRATIONS.map((m) => m.version);

async function recorded(db: Database): Promise<Array<{ version: number; name: string }>> {
  const { rows } = await db.query<{ version: number; name: string }>(
    'SELECT version, name FROM schema_migrations ORDER BY version',
  );
  return rows;
}

async function tableExists(db: Database, name: string): Promise<boolean> {
  const { rows } = await db.query<{ found: string | null }>('SELECT to_regclass($1)::text AS found', [name]);
  return rows[0]?.found !== null;
}

/** Slow enough that concurrent runs overlap, and several statements each (quotes and $$ included). */
const concurrent: Migration[] = [100, 101, 102].map((version) => ({
  version,
  name: `concurrent ${version}`,
  sql: `CREATE TABLE t_${version} (id integer PRIMARY KEY, note text DEFAULT 'a; b');
        SELECT pg_sleep(0.05);
        DO $$ BEGIN INSERT INTO t_${version} (id) VALUES (1); END $$;`,
}));

forEachDatabase('migrate', (getDb, target) => {
  it('applies version 1 once and records it', async () => {
    expect(await migrate(getDb(), MIGRATIONS)).toEqual({ applied: SCHEMA_VERSIONS });
    expect(await recorded(getDb())).toEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
    for (const table of ['conversations', 'msgid_claims', 'streams', 'stream_images', 'messages']) {
      expect(await tableExists(getDb(), table)).toBe(true);
    }
  });

  it('applies nothing the second time', async () => {
    expect(await migrate(getDb(), MIGRATIONS)).toEqual({ applied: [] });
    expect(await recorded(getDb())).toHaveLength(MIGRATIONS.length);
  });

  it('applies each version exactly once when several instances migrate at the same time', async () => {
    // PostgreSQL: separate pools, as separate instances would have. Embedded: one connection, shared.
    const dbs =
      target.kind === 'postgres'
        ? [0, 1, 2].map(() =>
            createPgDatabase({ connectionString: target.connectionString(), onError: () => undefined, max: 2 }),
          )
        : [getDb(), getDb(), getDb()];
    try {
      const results = await Promise.all(dbs.map((db) => migrate(db, [...MIGRATIONS, ...concurrent])));
      expect(results.flatMap((r) => r.applied).sort()).toEqual([100, 101, 102]);
    } finally {
      if (target.kind === 'postgres') await Promise.all(dbs.map((db) => db.close()));
    }
    expect((await recorded(getDb())).map((r) => r.version)).toEqual([...SCHEMA_VERSIONS, 100, 101, 102]);
    const { rows } = await getDb().query<{ note: string }>('SELECT note FROM t_101');
    expect(rows).toEqual([{ note: 'a; b' }]);
  });

  it('leaves no trace of a failing migration, keeps the ones before it and stops there', async () => {
    const list: Migration[] = [
      ...MIGRATIONS,
      { version: 200, name: 'fine', sql: 'CREATE TABLE t_200 (id integer)' },
      {
        version: 201,
        name: 'broken',
        sql: 'CREATE TABLE t_201 (id integer); INSERT INTO t_201 VALUES (1); SELECT no_such_column FROM t_201;',
      },
      { version: 202, name: 'after', sql: 'CREATE TABLE t_202 (id integer)' },
    ];
    await expect(migrate(getDb(), list)).rejects.toThrow(/no_such_column/);
    expect(await tableExists(getDb(), 't_200')).toBe(true);
    expect(await tableExists(getDb(), 't_201')).toBe(false);
    expect(await tableExists(getDb(), 't_202')).toBe(false);
    expect((await recorded(getDb())).map((r) => r.version)).toEqual([...SCHEMA_VERSIONS, 100, 101, 102, 200]);
  });
});

describe('migrate rejects a bad list before touching the database', () => {
  const untouchable: Database = {
    kind: 'embedded',
    query: () => Promise.reject(new Error('touched the database')),
    transaction: () => Promise.reject(new Error('touched the database')),
    close: () => Promise.resolve(),
  };
  const m = (version: number, name = `m${version}`): Migration => ({ version, name, sql: 'SELECT 1' });

  it.each([
    ['a duplicate version', [m(1), m(1)], /strictly increase/],
    ['versions out of order', [m(1), m(3), m(2)], /strictly increase/],
    ['a zero version', [m(0)], /positive integer/],
    ['a negative version', [m(-1)], /positive integer/],
    ['a fractional version', [m(1.5)], /positive integer/],
    ['a NaN version', [m(Number.NaN)], /positive integer/],
    ['an empty name', [m(1, ' ')], /no name/],
  ])('%s', async (_label, list, message) => {
    await expect(migrate(untouchable, list)).rejects.toThrow(message);
  });
});
