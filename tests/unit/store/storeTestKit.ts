import { randomUUID } from 'node:crypto';
import type { StreamImage, StreamMeta } from '../../../app/store/streamStore';
import type { Database, Queryable, QueryResult } from '../../../app/store/database';
import type { ReceivedMessage } from '../../../app/store/messageLog';
import { migrate } from '../../../app/store/migrations';
import { MIGRATIONS } from '../../../app/store/schema';
import { SharedStreamStore, type SharedStreamOptions } from '../../../app/store/sharedStreamStore';

/** Counts every statement sent through it, inside transactions too, and passes it on. */
export class CountingDatabase implements Database {
  /** Every statement, in transactions or not. */
  readonly statements: string[] = [];
  /** Statements sent outside a transaction. */
  readonly directStatements: string[] = [];
  transactions = 0;

  constructor(private readonly inner: Database) {}

  get kind(): Database['kind'] {
    return this.inner.kind;
  }

  get queryCount(): number {
    return this.statements.length;
  }

  /** Statements outside transactions that start with `prefix` (ignoring leading whitespace). */
  countDirectStartingWith(prefix: string): number {
    return this.directStatements.filter((sql) => sql.trim().startsWith(prefix)).length;
  }

  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
    this.statements.push(sql);
    this.directStatements.push(sql);
    return this.inner.query<Row>(sql, params);
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    this.transactions++;
    return this.inner.transaction((tx) => work(new CountingQueryable(tx, this.statements)));
  }

  /** The suite owns the real database and closes it. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}

class CountingQueryable implements Queryable {
  constructor(
    private readonly inner: Queryable,
    private readonly statements: string[],
  ) {}

  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
    this.statements.push(sql);
    return this.inner.query<Row>(sql, params);
  }
}

export const FAST_STREAM_OPTIONS: Omit<SharedStreamOptions, 'instanceId'> = {
  flushIntervalMs: 50,
  heartbeatIntervalMs: 50,
  ownerTimeoutMs: 300,
  ttlMs: 60_000,
};

/**
 * Opens SharedStreamStores for one test and closes them afterwards (register `closeAll` in afterEach),
 * so that no heartbeat or pending write outlives the test. Errors of background writes are collected.
 */
export class StreamStores {
  readonly errors: unknown[] = [];
  private readonly open: SharedStreamStore[] = [];

  instance(db: Database, instanceId: string, overrides: Partial<SharedStreamOptions> = {}): SharedStreamStore {
    const store = new SharedStreamStore(db, { ...FAST_STREAM_OPTIONS, instanceId, ...overrides }, (err) =>
      this.errors.push(err),
    );
    this.open.push(store);
    return store;
  }

  async closeAll(): Promise<void> {
    const stores = this.open.splice(0);
    for (const store of stores) store.close();
    await Promise.all(stores.map((store) => store.flushAll()));
  }
}

/**
 * The stream stores of one suite: the schema is migrated once, and after each test every store is
 * closed and must not have reported a write error.
 */
export function suiteStreamStores(getDb: () => Database): StreamStores {
  const stores = new StreamStores();
  beforeAll(async () => {
    await migrate(getDb(), MIGRATIONS);
  });
  afterEach(async () => {
    await stores.closeAll();
    expect(stores.errors).toEqual([]);
  });
  return stores;
}

/** A message-log row as the intake writes it when a message arrives. */
export function receivedMessage(overrides: Partial<ReceivedMessage> = {}): ReceivedMessage {
  return {
    streamId: 'stream-1',
    msgid: 'msg-1',
    botKey: 'bot-a',
    aibotid: 'aibot-1',
    userid: 'alice',
    chatid: undefined,
    chattype: 'single',
    msgtype: 'text',
    agentId: 'agent-1',
    receivedAt: 1_718_000_000_123,
    status: 'running',
    cause: undefined,
    ...overrides,
  };
}

export function streamMeta(overrides: Partial<StreamMeta> = {}): StreamMeta {
  const id = overrides.id ?? `s_${randomUUID()}`;
  return {
    id,
    msgid: `m_${id}`,
    botKey: 'bot-a',
    aibotid: 'aibot-1',
    userid: 'alice',
    chatid: undefined,
    chattype: 'single',
    responseUrl: 'https://example.test/response/1',
    receivedAt: 1_718_000_000_123,
    ...overrides,
  };
}

export function image(label: string): StreamImage {
  return { base64: Buffer.from(`image-${label}`).toString('base64'), md5: `md5-${label}` };
}

export interface StreamRowState {
  content: string;
  finish: boolean;
  image_count: number;
}

/** The stored row, read with plain SQL. */
export async function storedStream(db: Queryable, id: string): Promise<StreamRowState | undefined> {
  const { rows } = await db.query<StreamRowState>('SELECT content, finish, image_count FROM streams WHERE id = $1', [
    id,
  ]);
  return rows[0];
}

export async function storedImages(db: Queryable, id: string): Promise<StreamImage[]> {
  const { rows } = await db.query<StreamImage>(
    'SELECT base64, md5 FROM stream_images WHERE stream_id = $1 ORDER BY position',
    [id],
  );
  return rows;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns true; throws after `ms`. */
export async function waitUntil(check: () => Promise<boolean>, ms = 3000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
