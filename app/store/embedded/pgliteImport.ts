import fs from 'node:fs';
import path from 'node:path';
import type { Database, Queryable, QueryResult } from '../database';
import { migrate } from '../migrations';
import { MIGRATIONS } from '../schema';
import type { ScriptRunner } from '../sqlScript';

/**
 * Before the embedded PostgreSQL server, the embedded store was PGlite, whose files lie directly in
 * DATA_DIR (PG_VERSION, base/, global/ ...). On the first start over such a directory its rows are
 * copied into the new server once: conversations, message log, people-in-the-loop requests, API keys,
 * operators and settings carry over. PGlite is loaded only then; the old files are left in place.
 */
export const IMPORT_MARKER = 'PGLITE_IMPORTED';

interface PgliteLike {
  query<Row>(sql: string, params?: unknown[]): Promise<{ rows: Row[]; affectedRows?: number }>;
  exec(sql: string): Promise<unknown>;
  transaction<T>(work: (tx: PgliteLike) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Just enough of the Database interface to run our migrations over the old files first. */
class PgliteMigrationTarget implements Database, ScriptRunner {
  readonly kind = 'embedded' as const;
  constructor(private readonly lite: PgliteLike) {}
  async query<Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
    const result = await this.lite.query<Row>(sql, params === undefined ? undefined : [...params]);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
  }
  execScript(sql: string): Promise<void> {
    return this.lite.exec(sql).then(() => undefined);
  }
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.lite.transaction((tx) => work(new PgliteMigrationTarget(tx)));
  }
  close(): Promise<void> {
    return this.lite.close();
  }
}

/**
 * The earlier store's files, opened with PGlite and brought to the newest schema: the import's
 * source; tests fill one, and the benchmark compares PGlite with the server (`options` go to PGlite).
 */
export async function openPglite(dir: string, options: Record<string, unknown> = {}): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const lite = new PgliteMigrationTarget((await PGlite.create(dir, options)) as unknown as PgliteLike);
  await migrate(lite, MIGRATIONS);
  return lite;
}

async function tablesOf(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'
     ORDER BY table_name`,
  );
  return rows.map((row) => row.name);
}

const BATCH = 2000;

/**
 * Copies one table in batches of JSON rows; PostgreSQL converts each value back from its JSON form.
 * ORDER BY ctid: the batches page through one fixed order, so OFFSET neither skips nor repeats a row.
 */
async function copyTable(from: Queryable, to: Queryable, table: string): Promise<number> {
  let copied = 0;
  for (;;) {
    const { rows } = await from.query<{ batch: string }>(
      `SELECT coalesce(json_agg(t), '[]')::text AS batch FROM (SELECT * FROM "${table}" ORDER BY ctid LIMIT ${BATCH} OFFSET ${copied}) t`,
    );
    const batch = rows[0]?.batch ?? '[]';
    const inserted = await to.query(
      `INSERT INTO "${table}" OVERRIDING SYSTEM VALUE SELECT * FROM json_populate_recordset(NULL::"${table}", $1::json)`,
      [batch],
    );
    copied += inserted.rowCount;
    if (inserted.rowCount < BATCH) return copied;
  }
}

/** Serial and identity columns continue after the imported rows. */
async function resetSequences(tx: Queryable, table: string): Promise<void> {
  const { rows } = await tx.query<{ column_name: string; seq: string | null }>(
    `SELECT column_name, pg_get_serial_sequence($1, column_name) AS seq
     FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $2`,
    [`public."${table}"`, table],
  );
  for (const { column_name: column, seq } of rows) {
    if (seq === null) continue;
    await tx.query(`SELECT setval($1, coalesce((SELECT max("${column}") FROM "${table}"), 0) + 1, false)`, [seq]);
  }
}

async function copyAll(from: Queryable, to: Database): Promise<Record<string, number>> {
  const tables = await tablesOf(to);
  const oldTables = new Set(await tablesOf(from));
  return to.transaction(async (tx) => {
    // The rows arrive table by table; foreign keys are checked by the old store already.
    await tx.query('SET LOCAL session_replication_role = replica');
    const counts: Record<string, number> = {};
    for (const table of tables) {
      if (!oldTables.has(table)) continue;
      const { rows } = await tx.query(`SELECT 1 FROM "${table}" LIMIT 1`);
      if (rows.length > 0) throw new Error(`the new store's table ${table} is not empty; nothing was imported`);
      counts[table] = await copyTable(from, tx, table);
      await resetSequences(tx, table);
    }
    return counts;
  });
}

/** Imports an earlier PGlite store found in `dataDir` once; returns the rows copied per table, or undefined. */
export async function importPgliteData(dataDir: string, to: Database): Promise<Record<string, number> | undefined> {
  const dir = path.resolve(dataDir);
  const marker = path.join(dir, IMPORT_MARKER);
  if (!fs.existsSync(path.join(dir, 'PG_VERSION')) || fs.existsSync(marker)) return undefined;
  const lite = await openPglite(dir);
  try {
    const counts = await copyAll(lite, to);
    fs.writeFileSync(marker, `${JSON.stringify({ importedAt: new Date().toISOString(), rows: counts })}\n`);
    return counts;
  } finally {
    await lite.close();
  }
}
