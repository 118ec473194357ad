import type { Database, Queryable } from './database';
import { runScript } from './sqlScript';

export interface Migration {
  /** Positive integer; a list's versions strictly increase. Never renumber one that has shipped. */
  readonly version: number;
  readonly name: string;
  /** May hold several statements; runs in one transaction with its schema_migrations row. */
  readonly sql: string;
}

/**
 * Key of the transaction-scoped advisory lock that serializes migrations across instances. Fixed and
 * arbitrary; only other users of advisory locks on the same database must not pick it.
 */
const MIGRATION_LOCK_KEY = '7224651833907354113';

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

/** Throws on a list that could apply in the wrong order or twice: before anything touches the database. */
export function checkMigrations(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const m of migrations) {
    if (!Number.isSafeInteger(m.version) || m.version <= 0) {
      throw new Error(`migration version must be a positive integer, got ${String(m.version)}`);
    }
    if (m.version <= previous) {
      throw new Error(`migration versions must strictly increase: ${m.version} follows ${previous}`);
    }
    if (m.name.trim() === '') throw new Error(`migration ${m.version} has no name`);
    previous = m.version;
  }
}

/** The first statements of every migration transaction. */
async function lock(tx: Queryable): Promise<void> {
  // The re-check after the lock must see what another instance committed while we waited: only READ
  // COMMITTED takes a new snapshot per statement (a server default of REPEATABLE READ would not).
  await tx.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
  // Held until this transaction ends; another instance migrating at the same time waits here.
  await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
}

async function appliedVersions(db: Queryable): Promise<Set<number>> {
  const { rows } = await db.query<{ version: number }>('SELECT version FROM schema_migrations');
  return new Set(rows.map((row) => row.version));
}

/** Applies one migration unless another instance did it first; true when this call applied it. */
async function applyOne(db: Database, m: Migration): Promise<boolean> {
  return db.transaction(async (tx) => {
    await lock(tx);
    const done = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
    if (done.rowCount > 0) return false;
    await runScript(tx, m.sql);
    await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    return true;
  });
}

/**
 * Brings the schema up to date: runs each migration not yet recorded, in version order, each in its
 * own transaction (a failed one leaves no trace and stops the rest). Safe when several instances
 * start at once: the advisory lock and the re-check inside it apply each version exactly once. On the
 * embedded database transactions are serialized anyway, and the lock is simply granted.
 */
export async function migrate(db: Database, migrations: readonly Migration[]): Promise<{ applied: number[] }> {
  checkMigrations(migrations);
  // Under the lock as well: two sessions running CREATE TABLE IF NOT EXISTS at once can both decide
  // to create it, and the second then fails on a catalog unique index.
  await db.transaction(async (tx) => {
    await lock(tx);
    await tx.query(CREATE_TABLE);
  });
  const done = await appliedVersions(db);
  const applied: number[] = [];
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    if (await applyOne(db, m)) applied.push(m.version);
  }
  return { applied };
}
