import { Client } from 'pg';
import type { Database } from '../../../app/store/database';
import { createPgDatabase } from '../../../app/store/pgDatabase';
import { forPostgres } from '../../helpers/databases';

async function waitFor(condition: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function pidOf(q: Pick<Database, 'query'>): Promise<number> {
  const { rows } = await q.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const pid = rows[0]?.pid;
  if (pid === undefined) throw new Error('no backend pid');
  return pid;
}

forPostgres('createPgDatabase', (_getDb, target) => {
  let killer: Client;
  const errors: Error[] = [];
  let db: Database;

  beforeAll(async () => {
    killer = new Client({ connectionString: target.connectionString() });
    await killer.connect();
  });
  beforeEach(() => {
    errors.length = 0;
    db = createPgDatabase({ connectionString: target.connectionString(), onError: (err) => errors.push(err), max: 2 });
  });
  afterEach(() => db.close());
  afterAll(() => killer.end());

  const terminate = (pid: number): Promise<unknown> => killer.query('SELECT pg_terminate_backend($1)', [pid]);

  it('reports an idle connection the server dropped to onError, and goes on with a new one', async () => {
    await terminate(await pidOf(db));
    await waitFor(() => errors.length > 0);
    expect((await db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('fails a transaction whose connection is lost without crashing, and recovers', async () => {
    const lost = db.transaction(async (tx) => {
      await terminate(await pidOf(tx));
      // Gives the client time to see the connection close between two statements.
      await new Promise((resolve) => setTimeout(resolve, 100));
      await tx.query('SELECT 1');
    });
    await expect(lost).rejects.toThrow();
    expect((await db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('runs a multi-statement script through a query without parameters', async () => {
    const result = await db.query(
      'CREATE TEMP TABLE s (x int); INSERT INTO s VALUES (1), (2); SELECT x FROM s ORDER BY x',
    );
    expect(result).toEqual({ rows: [{ x: 1 }, { x: 2 }], rowCount: 2 });
  });

  it('closes twice without complaint', async () => {
    await db.close();
    await expect(db.close()).resolves.toBeUndefined();
  });

  it('does not put the password in the error of a failed login', async () => {
    const url = new URL(target.connectionString());
    url.password = 'not-the-Secret-42';
    const wrong = createPgDatabase({ connectionString: url.toString(), onError: () => undefined });
    try {
      const err: unknown = await wrong.query('SELECT 1').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect(
        JSON.stringify({ ...(err as object), message: (err as Error).message, stack: (err as Error).stack }),
      ).not.toContain('not-the-Secret-42');
    } finally {
      await wrong.close();
    }
  });
});
