import type { Database, Queryable, QueryResult } from '../../../app/store/database';
import { migrate } from '../../../app/store/migrations';
import { MIGRATIONS } from '../../../app/store/schema';
import { forEachDatabase } from '../../helpers/databases';
import { FAST_STREAM_OPTIONS, StreamStores, streamMeta, waitUntil } from './storeTestKit';

/**
 * Passes everything on, except that the next `failures` final writes (a finishing UPDATE, or a
 * transaction, which is how a final with images is written) fail as a lost connection would.
 */
class FailingFinalWrites implements Database {
  constructor(
    private readonly inner: () => Database,
    private failures: number,
  ) {}

  get kind(): Database['kind'] {
    return this.inner().kind;
  }

  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
    if (this.failures > 0 && /finish = true/.test(sql)) {
      this.failures--;
      return Promise.reject(new Error('connection lost'));
    }
    return this.inner().query<Row>(sql, params);
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    if (this.failures > 0) {
      this.failures--;
      return Promise.reject(new Error('connection lost'));
    }
    return this.inner().transaction(work);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

forEachDatabase('SharedStreamStore when the final write fails', (getDb) => {
  const stores = new StreamStores();

  beforeAll(async () => {
    await migrate(getDb(), MIGRATIONS);
  });

  afterEach(async () => {
    await stores.closeAll();
  });

  it('reports the error, and another instance still sees the stream end: finished, or stale so it can finish it', async () => {
    const owner = stores.instance(new FailingFinalWrites(getDb, 1), 'owner');
    const reader = stores.instance(getDb(), 'reader');
    const meta = streamMeta();
    await owner.create(meta, { content: '', finish: false });

    await owner.publish(meta.id, { content: 'the answer', finish: true });

    expect(stores.errors).toEqual([new Error('connection lost')]);
    // The owner keeps beating for its streams; a row it will never finish must not stay "running, fresh".
    const ended = async (): Promise<boolean> => {
      const record = await reader.get(meta.id);
      return record?.snapshot.finish === true || record?.stale === true;
    };
    await waitUntil(
      ended,
      4 * FAST_STREAM_OPTIONS.ownerTimeoutMs,
      'the stream to be finished or stale on another instance',
    );
  });
});
