import fs from 'node:fs';
import { PGlite, types, type Results, type Transaction } from '@electric-sql/pglite';
import type { Database, Queryable, QueryResult } from './database';
import type { ScriptRunner } from './sqlScript';
import { TransactionGuard } from './transactionGuard';

export interface EmbeddedDatabaseOptions {
  /** Where PGlite keeps its files; undefined: in memory, gone when closed (tests). */
  dataDir?: string;
}

function toResult<Row>(result: Results<Row>): QueryResult<Row> {
  // `rowCount` is the command tag's count, as `pg` reports it (rows a SELECT returned, rows an UPDATE
  // changed); `affectedRows` is 0 for a SELECT, so it only stands in when the tag has no count.
  return { rows: result.rows, rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length };
}

function copy(params: readonly unknown[] | undefined): unknown[] | undefined {
  return params === undefined ? undefined : [...params];
}

/** The `tx` a transaction's work gets. PGlite itself rejects its use once the transaction has ended. */
class EmbeddedTransaction implements Queryable, ScriptRunner {
  constructor(private readonly tx: Transaction) {}

  async query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
    return toResult(await this.tx.query<Row>(sql, copy(params)));
  }

  async execScript(sql: string): Promise<void> {
    // `exec` uses the simple protocol, the only one that takes several statements in one string.
    await this.tx.exec(sql);
  }
}

/**
 * PGlite is a single connection. It queues calls itself: a `query` waits for a running transaction
 * to end, so concurrent callers never see each other's uncommitted work.
 */
class EmbeddedDatabase implements Database {
  readonly kind = 'embedded' as const;
  private readonly guard = new TransactionGuard();

  constructor(private readonly pglite: PGlite) {}

  async query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
    this.guard.assertOutside('query');
    return toResult(await this.pglite.query<Row>(sql, copy(params)));
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    this.guard.assertOutside('transaction');
    // PGlite runs BEGIN, then COMMIT, or ROLLBACK when work throws; a COMMIT that PostgreSQL turns
    // into ROLLBACK (a statement failed and the work caught it) throws too.
    return this.pglite.transaction((tx) => this.guard.run(() => work(new EmbeddedTransaction(tx))));
  }

  async close(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
  }
}

export async function createEmbeddedDatabase(opts: EmbeddedDatabaseOptions): Promise<Database> {
  if (opts.dataDir !== undefined) fs.mkdirSync(opts.dataDir, { recursive: true });
  const pglite = await PGlite.create(opts.dataDir, {
    // Same rows as `pg` gives: bigint as a string (PGlite's default is a number, which loses precision
    // past 2^53 and would make code that passes here fail on PostgreSQL).
    parsers: { [types.INT8]: (value: string) => value },
    // Commits do not wait for the WAL to reach the disk: the message log, dedupe and stream rows are
    // written on every message, and waiting cost most of the embedded store's CPU in the benchmark.
    // A crash can lose the last moment of writes, never corrupt the database (PostgreSQL's
    // asynchronous commit).
    relaxedDurability: true,
    postgresqlconf: 'synchronous_commit = off',
  });
  return new EmbeddedDatabase(pglite);
}
