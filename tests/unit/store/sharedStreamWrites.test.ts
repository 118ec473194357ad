import type { StreamRecord } from '../../../app/store/streamStore';
import { forEachDatabase } from '../../helpers/databases';
import {
  CountingDatabase,
  suiteStreamStores,
  image,
  sleep,
  storedImages,
  storedStream,
  streamMeta,
  waitUntil,
} from './storeTestKit';

/** Long enough that "within one interval" and "before the timer fires" hold on a slow machine too. */
const FLUSH_MS = 300;
const THROTTLED = { flushIntervalMs: FLUSH_MS, heartbeatIntervalMs: 60_000 };
/** A non-final write; the final one runs in a transaction with its images, which this does not count. */
const CONTENT_UPDATE = 'UPDATE streams SET content';

forEachDatabase('SharedStreamStore writes', (getDb) => {
  const stores = suiteStreamStores(getDb);

  async function storedContent(id: string): Promise<string | undefined> {
    return (await storedStream(getDb(), id))?.content;
  }

  it('writes the first publish at once and coalesces the rest of the interval into one trailing write', async () => {
    const ownerDb = new CountingDatabase(getDb());
    const owner = stores.instance(ownerDb, 'owner', THROTTLED);
    const reader = stores.instance(getDb(), 'reader', THROTTLED);
    const meta = streamMeta();
    await owner.create(meta, { content: '', finish: false });

    const start = Date.now();
    await owner.publish(meta.id, { content: 'a', finish: false });
    await waitUntil(async () => (await reader.get(meta.id))?.snapshot.content === 'a', FLUSH_MS, 'the first publish');
    expect(Date.now() - start).toBeLessThan(FLUSH_MS);
    expect(ownerDb.countDirectStartingWith(CONTENT_UPDATE)).toBe(1);

    for (const content of ['ab', 'abc', 'abcd']) await owner.publish(meta.id, { content, finish: false });
    // The owner's own polls see the latest at once; the store waits for the interval.
    expect((await owner.get(meta.id))?.snapshot.content).toBe('abcd');
    expect(await storedContent(meta.id)).toBe('a');
    expect(ownerDb.countDirectStartingWith(CONTENT_UPDATE)).toBe(1);

    await waitUntil(async () => (await storedContent(meta.id)) === 'abcd', 3000, 'the trailing write');
    expect(Date.now() - start).toBeGreaterThanOrEqual(FLUSH_MS - 20);
    expect(ownerDb.countDirectStartingWith(CONTENT_UPDATE)).toBe(2);

    // Nothing else is pending: no further write happens.
    await sleep(FLUSH_MS + 50);
    expect(ownerDb.countDirectStartingWith(CONTENT_UPDATE)).toBe(2);
    expect((await reader.get(meta.id))?.snapshot).toEqual({ content: 'abcd', finish: false });
  });

  it('writes a publish after a quiet interval at once again', async () => {
    const ownerDb = new CountingDatabase(getDb());
    const owner = stores.instance(ownerDb, 'owner', THROTTLED);
    const meta = streamMeta();
    await owner.create(meta, { content: '', finish: false });
    await owner.publish(meta.id, { content: 'first', finish: false });
    await waitUntil(async () => (await storedContent(meta.id)) === 'first', FLUSH_MS, 'the first publish');

    await sleep(FLUSH_MS + 20);
    const start = Date.now();
    await owner.publish(meta.id, { content: 'second', finish: false });
    await waitUntil(
      async () => (await storedContent(meta.id)) === 'second',
      FLUSH_MS,
      'the leading write of a new interval',
    );
    expect(Date.now() - start).toBeLessThan(FLUSH_MS);
    expect(ownerDb.countDirectStartingWith(CONTENT_UPDATE)).toBe(2);
  });

  it('stores the final snapshot at once, with its images, before publish resolves, and drops the pending one', async () => {
    const ownerDb = new CountingDatabase(getDb());
    const owner = stores.instance(ownerDb, 'owner', THROTTLED);
    const reader = stores.instance(getDb(), 'reader', THROTTLED);
    const meta = streamMeta();
    await owner.create(meta, { content: '', finish: false });
    await owner.publish(meta.id, { content: 'partial', finish: false });
    await owner.publish(meta.id, { content: 'partial, pending', finish: false });

    const start = Date.now();
    await owner.publish(meta.id, { content: 'final answer', finish: true, images: [image('1'), image('2')] });
    expect(Date.now() - start).toBeLessThan(FLUSH_MS);
    expect(ownerDb.transactions).toBe(1);
    // Resolved only after the write: a plain read right away sees it.
    expect(await storedStream(getDb(), meta.id)).toEqual({ content: 'final answer', finish: true, image_count: 2 });
    expect(await storedImages(getDb(), meta.id)).toEqual([image('1'), image('2')]);
    expect(await reader.get(meta.id)).toEqual({
      meta,
      snapshot: { content: 'final answer', finish: true, images: [image('1'), image('2')] },
      stale: false,
    });

    // The pending pre-final snapshot is never written, not even as an UPDATE that `AND NOT finish` makes a no-op.
    await sleep(FLUSH_MS + 50);
    expect(ownerDb.countDirectStartingWith(CONTENT_UPDATE)).toBe(1);
  });

  it('never shows another instance finish:true without the images of the final snapshot', async () => {
    const owner = stores.instance(getDb(), 'owner', THROTTLED);
    const reader = stores.instance(getDb(), 'reader', THROTTLED);
    const meta = streamMeta();
    const images = [image('p'), image('q'), image('r')];
    await owner.create(meta, { content: '', finish: false });

    const seen: StreamRecord[] = [];
    let finishing = true;
    const polling = (async () => {
      while (finishing) {
        const record = await reader.get(meta.id);
        if (record !== undefined) seen.push(record);
        // The store may answer within microtasks: yield to timers and I/O, or this loop starves them.
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await sleep(5);
    await owner.publish(meta.id, { content: 'with images', finish: true, images });
    const after = await reader.get(meta.id);
    finishing = false;
    await polling;

    expect(after?.snapshot).toEqual({ content: 'with images', finish: true, images });
    expect(seen.length).toBeGreaterThan(0);
    for (const record of seen) {
      if (record.snapshot.finish) expect(record.snapshot).toEqual({ content: 'with images', finish: true, images });
      else expect(record.snapshot).toEqual({ content: '', finish: false });
    }
  });

  it('ignores publishes after the final one, in memory and in the database', async () => {
    const ownerDb = new CountingDatabase(getDb());
    const owner = stores.instance(ownerDb, 'owner', THROTTLED);
    const meta = streamMeta();
    await owner.create(meta, { content: '', finish: false });
    await owner.publish(meta.id, { content: 'the answer', finish: true, images: [image('kept')] });
    const queriesAfterFinish = ownerDb.queryCount;

    await owner.publish(meta.id, { content: 'late running', finish: false });
    await owner.publish(meta.id, { content: 'late final', finish: true, images: [image('late')] });
    await owner.flushAll();
    await sleep(FLUSH_MS + 50);

    expect((await owner.get(meta.id))?.snapshot).toEqual({
      content: 'the answer',
      finish: true,
      images: [image('kept')],
    });
    expect(await storedStream(getDb(), meta.id)).toEqual({ content: 'the answer', finish: true, image_count: 1 });
    expect(await storedImages(getDb(), meta.id)).toEqual([image('kept')]);
    expect(ownerDb.queryCount).toBe(queriesAfterFinish);
  });

  it('flushAll writes a pending snapshot before its timer fires', async () => {
    const owner = stores.instance(getDb(), 'owner', { flushIntervalMs: 5000, heartbeatIntervalMs: 60_000 });
    const first = streamMeta();
    const second = streamMeta();
    await owner.create(first, { content: '', finish: false });
    await owner.create(second, { content: '', finish: false });
    await owner.publish(first.id, { content: 'one', finish: false });
    await owner.publish(second.id, { content: 'uno', finish: false });
    await owner.publish(first.id, { content: 'one two', finish: false });
    await owner.publish(second.id, { content: 'uno dos', finish: false });

    const start = Date.now();
    await owner.flushAll();
    expect(Date.now() - start).toBeLessThan(1000);
    expect(await storedStream(getDb(), first.id)).toEqual({ content: 'one two', finish: false, image_count: 0 });
    expect(await storedStream(getDb(), second.id)).toEqual({ content: 'uno dos', finish: false, image_count: 0 });
  });

  it('one process alone (the embedded store): final snapshots without images are written together, in one statement', async () => {
    const ownerDb = new CountingDatabase(getDb());
    const owner = stores.instance(ownerDb, 'alone', { ...THROTTLED, writeRunningSnapshots: false });
    const metas = [streamMeta(), streamMeta(), streamMeta()];
    for (const meta of metas) await owner.create(meta, { content: '', finish: false });
    await Promise.all(metas.map((meta, i) => owner.publish(meta.id, { content: `答案 ${i}`, finish: true })));
    // The owner's polls see the end at once; the rows follow in one batch.
    expect((await owner.get(metas[0]?.id ?? ''))?.snapshot).toEqual({ content: '答案 0', finish: true });
    await waitUntil(
      async () => (await storedStream(getDb(), metas[2]?.id ?? ''))?.finish === true,
      3000,
      'the batched finals',
    );
    for (const [i, meta] of metas.entries())
      expect(await storedStream(getDb(), meta.id)).toEqual({ content: `答案 ${i}`, finish: true, image_count: 0 });
    expect(ownerDb.countDirectStartingWith('UPDATE streams AS s SET content = v.content')).toBe(1);
    expect(ownerDb.countDirectStartingWith('UPDATE streams SET content')).toBe(0);
  });
});
