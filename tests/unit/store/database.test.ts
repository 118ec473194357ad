import { forEachDatabase } from '../../helpers/databases';

forEachDatabase('Database', (getDb) => {
  beforeAll(async () => {
    await getDb().query('CREATE TABLE items (id integer PRIMARY KEY, label text NOT NULL, big bigint)');
  });

  beforeEach(async () => {
    await getDb().query('DELETE FROM items');
  });

  async function labels(): Promise<string[]> {
    const { rows } = await getDb().query<{ label: string }>('SELECT label FROM items ORDER BY id');
    return rows.map((row) => row.label);
  }

  it('runs parameterized queries and counts the rows they touch', async () => {
    const db = getDb();
    const inserted = await db.query('INSERT INTO items (id, label) VALUES ($1, $2), ($3, $4)', [1, 'a', 2, 'b']);
    expect(inserted.rowCount).toBe(2);
    const updated = await db.query('UPDATE items SET label = label || $1 WHERE id = $2', ['!', 1]);
    expect(updated.rowCount).toBe(1);
    const selected = await db.query<{ id: number; label: string }>('SELECT id, label FROM items ORDER BY id');
    expect(selected).toEqual({
      rows: [
        { id: 1, label: 'a!' },
        { id: 2, label: 'b' },
      ],
      rowCount: 2,
    });
    expect((await db.query('DELETE FROM items WHERE id = 99')).rowCount).toBe(0);
  });

  it('returns bigint as a string and timestamptz as a Date on both backends', async () => {
    await getDb().query('INSERT INTO items (id, label, big) VALUES (1, $1, $2)', ['a', '9007199254740993']);
    const { rows } = await getDb().query<{ big: string; n: string; at: Date }>(
      'SELECT big, count(*) OVER () AS n, now() AS at FROM items',
    );
    expect(rows[0]?.big).toBe('9007199254740993');
    expect(rows[0]?.n).toBe('1');
    expect(rows[0]?.at).toBeInstanceOf(Date);
  });

  it('commits a transaction and returns what its work returns', async () => {
    const result = await getDb().transaction(async (tx) => {
      await tx.query('INSERT INTO items (id, label) VALUES (1, $1)', ['kept']);
      return (await tx.query('SELECT count(*)::int AS n FROM items')).rows[0];
    });
    expect(result).toEqual({ n: 1 });
    expect(await labels()).toEqual(['kept']);
  });

  it('rolls back when the work throws, and passes the error on', async () => {
    const failing = getDb().transaction(async (tx) => {
      await tx.query('INSERT INTO items (id, label) VALUES (1, $1)', ['gone']);
      throw new Error('work failed');
    });
    await expect(failing).rejects.toThrow('work failed');
    expect(await labels()).toEqual([]);
  });

  it('rolls back, and fails, when a statement failed even though the work caught it', async () => {
    const swallowed = getDb().transaction(async (tx) => {
      await tx.query('INSERT INTO items (id, label) VALUES (1, $1)', ['gone']);
      await tx.query('INSERT INTO items (id, label) VALUES (1, $1)', ['duplicate']).catch(() => undefined);
    });
    await expect(swallowed).rejects.toThrow();
    expect(await labels()).toEqual([]);
    // The connection is usable afterwards.
    expect((await getDb().query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('rejects the database itself inside a transaction (a deadlock on one connection)', async () => {
    const db = getDb();
    const nested = db.transaction(async () => {
      await db.query('SELECT 1');
    });
    await expect(nested).rejects.toThrow(/inside a transaction/);
    await expect(db.transaction(() => db.transaction(() => Promise.resolve(1)))).rejects.toThrow(
      /inside a transaction/,
    );
  });

  it('refuses a transaction handle used after its transaction ended', async () => {
    let leaked: { query: (sql: string) => Promise<unknown> } | undefined;
    await getDb().transaction(async (tx) => {
      leaked = tx;
      await tx.query('SELECT 1');
    });
    await expect(leaked?.query('SELECT 1')).rejects.toThrow(/closed/);
  });

  it('keeps 50 concurrent queries and a concurrent transaction apart', async () => {
    const db = getDb();
    await db.query('INSERT INTO items (id, label) VALUES (0, $1)', ['base']);
    const reads = Array.from({ length: 50 }, (_, i) =>
      db.query<{ n: number }>('SELECT count(*)::int AS n FROM items WHERE id >= $1', [i % 2]),
    );
    const tx = db.transaction(async (t) => {
      for (let id = 100; id < 105; id++) await t.query('INSERT INTO items (id, label) VALUES ($1, $2)', [id, 'tx']);
      throw new Error('roll back');
    });
    const writes = Array.from({ length: 10 }, (_, i) =>
      db.query('INSERT INTO items (id, label) VALUES ($1, $2)', [i + 1, `w${i + 1}`]),
    );
    const [readResults, txResult] = await Promise.all([
      Promise.all(reads),
      tx.catch((err: Error) => err.message),
      Promise.all(writes),
    ]);
    expect(txResult).toBe('roll back');
    // No read ever saw the transaction's uncommitted rows: at most the base row and the ten writes.
    for (const result of readResults) expect(result.rows[0]?.n).toBeLessThanOrEqual(11);
    expect(await labels()).toEqual(['base', ...Array.from({ length: 10 }, (_, i) => `w${i + 1}`)]);
  });
});
