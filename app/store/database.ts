/**
 * The one way the app talks SQL: PostgreSQL through `pg`, either a server of the operator's
 * (DATABASE_URL) or the embedded one the gateway starts itself (store/embedded). All SQL lives in app/store.
 */
export interface QueryResult<Row> {
  readonly rows: Row[];
  readonly rowCount: number;
}

export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
}

/** One dedicated connection (a PostgreSQL session), outside the pool: session-level advisory locks live on it. */
export interface Session extends Queryable {
  /** Ends the session; its advisory locks are released with it. */
  end(): void;
}

export interface Database extends Queryable {
  /** 'embedded': the server the gateway started (or found running) in DATA_DIR; 'postgres': DATABASE_URL or PG*. */
  readonly kind: 'postgres' | 'embedded';
  /** A dedicated session, for locks that must stay held. `onLost` when the connection breaks. */
  openSession?(onLost: (err: Error) => void): Promise<Session>;
  /** Runs `work` in one transaction on one connection; rolls back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Whether several gateway instances may serve from this store (DATABASE_URL / PG*): then running
 * snapshots, rate and running-turn counts and conversation ids go through the store. The embedded
 * server is one instance's own (other local processes may attach, for tools and overlapping
 * restarts, but one process serves), so that state stays in memory and the hot path skips queries.
 */
export function sharedByInstances(db: Database): boolean {
  return db.kind === 'postgres';
}
