import { Pool, type PoolClient, type QueryResult as PgQueryResult } from 'pg';
import type { Database, Queryable, QueryResult, Session } from './database';
import type { ScriptRunner } from './sqlScript';
import { TransactionGuard } from './transactionGuard';

export interface PgDatabaseOptions {
  /**
   * postgres://user:password@host:port/database. Undefined: pg reads the libpq variables itself
   * (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, ...). pg redacts the string from its own parse errors.
   */
  connectionString?: string;
  /** Instead of a URL: the embedded server's Unix socket directory, port, user and database. */
  connection?: {
    readonly host: string;
    readonly port: number;
    readonly user: string;
    readonly database: string;
    readonly application_name?: string;
  };
  /** 'embedded' for the server the gateway runs itself (store/embedded); default 'postgres'. */
  kind?: Database['kind'];
  /** Runs after the pool has ended (the embedded server stops here). */
  afterClose?: () => Promise<void>;
  /** Errors of idle pooled connections (server restart, network loss); the pool replaces them. */
  onError: (err: Error) => void;
  /** Pool size; pg's default is 10. */
  max?: number;
}

/**
 * Rows keep pg's default type parsing: bigint (int8, e.g. `count(*)`) and numeric come back as
 * strings, since they may not fit a JS number; timestamptz as Date. The embedded database matches.
 */
function toResult<Row>(result: PgQueryResult | PgQueryResult[]): QueryResult<Row> {
  // Without parameters a query may hold several statements, and pg then returns one result per
  // statement; like psql, the caller sees the last.
  const last = Array.isArray(result) ? result[result.length - 1] : result;
  if (last === undefined) return { rows: [], rowCount: 0 };
  return { rows: last.rows as Row[], rowCount: last.rowCount ?? last.rows.length };
}

function copy(params: readonly unknown[] | undefined): unknown[] | undefined {
  return params === undefined ? undefined : [...params];
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/** The `tx` a transaction's work gets: its one client, unusable once the transaction has ended. */
class PgTransaction implements Queryable, ScriptRunner {
  private open = true;

  constructor(private readonly client: PoolClient) {}

  async query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
    this.assertOpen();
    const result: PgQueryResult | PgQueryResult[] = await this.client.query(sql, copy(params));
    return toResult<Row>(result);
  }

  async execScript(sql: string): Promise<void> {
    this.assertOpen();
    // No parameters: pg sends the simple query protocol, which runs several statements.
    await this.client.query(sql);
  }

  close(): void {
    this.open = false;
  }

  private assertOpen(): void {
    // Otherwise a late, un-awaited query would run on a client already back in the pool.
    if (!this.open) throw new Error('Transaction is closed');
  }
}

async function commit(client: PoolClient): Promise<void> {
  const result = await client.query('COMMIT');
  // In a transaction where a statement failed (and the work caught it), PostgreSQL answers COMMIT
  // with ROLLBACK instead of an error; PGlite throws there, and so do we.
  if (result.command === 'ROLLBACK') throw new Error('Transaction was rolled back: a statement in it failed');
}

/** Returns the error when ROLLBACK fails: the connection is then in an unknown state. */
async function rollback(client: PoolClient): Promise<Error | undefined> {
  try {
    await client.query('ROLLBACK');
    return undefined;
  } catch (err) {
    return asError(err);
  }
}

class PgDatabase implements Database {
  private readonly guard = new TransactionGuard();
  private closing: Promise<void> | undefined;

  constructor(
    private readonly pool: Pool,
    readonly kind: Database['kind'],
    private readonly afterClose: () => Promise<void>,
  ) {}

  async query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
    this.guard.assertOutside('query');
    const result: PgQueryResult | PgQueryResult[] = await this.pool.query(sql, copy(params));
    return toResult<Row>(result);
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    this.guard.assertOutside('transaction');
    const client = await this.pool.connect();
    let broken: Error | undefined;
    // A checked-out client has no error listener of the pool's: a connection lost mid-transaction
    // would be an unhandled 'error' event and end the process.
    const onLost = (err: Error): void => {
      broken = err;
    };
    client.on('error', onLost);
    const tx = new PgTransaction(client);
    try {
      await client.query('BEGIN');
      const result = await this.guard.run(() => work(tx));
      await commit(client);
      return result;
    } catch (err) {
      broken = (await rollback(client)) ?? broken;
      throw err;
    } finally {
      tx.close();
      client.off('error', onLost);
      // With an error the pool destroys the client instead of reusing a connection in an unknown state.
      client.release(broken);
    }
  }

  async openSession(onLost: (err: Error) => void): Promise<Session> {
    const client = await this.pool.connect();
    client.on('error', onLost);
    let ended = false;
    return {
      query: async <Row = Record<string, unknown>>(
        sql: string,
        params?: readonly unknown[],
      ): Promise<QueryResult<Row>> => toResult<Row>(await client.query(sql, copy(params))),
      end: () => {
        if (ended) return;
        ended = true;
        client.off('error', onLost);
        // Destroyed, not returned to the pool: ending the session is what releases its locks.
        client.release(true);
      },
    };
  }

  close(): Promise<void> {
    // pg's end() throws when called twice; shutdown paths may well close twice.
    this.closing ??= this.pool.end().then(this.afterClose);
    return this.closing;
  }
}

export function createPgDatabase(opts: PgDatabaseOptions): Database {
  const pool = new Pool({
    ...(opts.connectionString !== undefined ? { connectionString: opts.connectionString } : {}),
    ...opts.connection,
    max: opts.max ?? 10,
  });
  // Idle clients that lose their connection emit here; without a listener the process would crash.
  pool.on('error', (err) => opts.onError(err));
  return new PgDatabase(pool, opts.kind ?? 'postgres', opts.afterClose ?? (() => Promise.resolve()));
}
