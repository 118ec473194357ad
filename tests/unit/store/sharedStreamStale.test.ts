import { forEachDatabase } from '../../helpers/databases';
import { FAST_STREAM_OPTIONS, suiteStreamStores, sleep, streamMeta, waitUntil } from './storeTestKit';

const { ownerTimeoutMs, heartbeatIntervalMs } = FAST_STREAM_OPTIONS;

forEachDatabase('SharedStreamStore owner liveness', (getDb) => {
  const stores = suiteStreamStores(getDb);

  it('reports a running stream stale once its owner stopped beating for ownerTimeoutMs, and not before', async () => {
    const owner = stores.instance(getDb(), 'owner-that-dies');
    const reader = stores.instance(getDb(), 'reader');
    const meta = streamMeta();
    await owner.create(meta, { content: 'half', finish: false });
    await sleep(2 * heartbeatIntervalMs);
    expect((await reader.get(meta.id))?.stale).toBe(false);

    owner.close();
    const closedAt = Date.now();
    await sleep(100);
    // At most ~150 ms since the last beat: still within the timeout.
    expect(await reader.get(meta.id)).toEqual({ meta, snapshot: { content: 'half', finish: false }, stale: false });

    await waitUntil(async () => (await reader.get(meta.id))?.stale === true, 3000, 'the stream to turn stale');
    // The last beat was at most one heartbeat interval before close (allow for timer jitter).
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(ownerTimeoutMs - 2 * heartbeatIntervalMs);
    expect(await reader.get(meta.id)).toEqual({ meta, snapshot: { content: 'half', finish: false }, stale: true });
  });

  it('never reports a finished stream stale, even when its owner is gone', async () => {
    const owner = stores.instance(getDb(), 'owner-that-finishes');
    const reader = stores.instance(getDb(), 'reader');
    const finished = streamMeta();
    const abandoned = streamMeta();
    await owner.create(finished, { content: '', finish: false });
    await owner.create(abandoned, { content: '', finish: false });
    await owner.publish(finished.id, { content: 'done', finish: true });
    owner.close();

    // Wait until the abandoned sibling is stale: the finished one is then past the timeout too.
    await waitUntil(
      async () => (await reader.get(abandoned.id))?.stale === true,
      3000,
      'the abandoned stream to turn stale',
    );
    await sleep(50);
    expect(await reader.get(finished.id)).toEqual({
      meta: finished,
      snapshot: { content: 'done', finish: true },
      stale: false,
    });
  });

  it('keeps the streams of an owner that only beats (no publishes) fresh beyond ownerTimeoutMs', async () => {
    const owner = stores.instance(getDb(), 'quiet-owner');
    const dead = stores.instance(getDb(), 'dead-owner');
    const reader = stores.instance(getDb(), 'reader');
    const quiet = [streamMeta(), streamMeta()];
    const deadStream = streamMeta();
    for (const meta of quiet) await owner.create(meta, { content: 'waiting for Dify', finish: false });
    await dead.create(deadStream, { content: 'waiting for Dify', finish: false });
    dead.close();
    const createdAt = Date.now();

    // Another owner's heartbeat must not keep the dead owner's stream alive.
    await waitUntil(
      async () => (await reader.get(deadStream.id))?.stale === true,
      3000,
      "the dead owner's stream to turn stale",
    );
    // A margin on top: timers may fire a millisecond early by Date.now().
    await sleep(Math.max(0, 2 * ownerTimeoutMs - (Date.now() - createdAt)) + 20);
    expect(Date.now() - createdAt).toBeGreaterThanOrEqual(2 * ownerTimeoutMs);
    for (const meta of quiet) expect((await reader.get(meta.id))?.stale).toBe(false);
  });
});
