import { forEachDatabase } from '../../helpers/databases';
import { sleep, streamMeta, suiteStreamStores } from './storeTestKit';

/** Long-connection streams a dead holder of the bot left running (issue #14 scope 5). */
forEachDatabase('SharedStreamStore orphans', (getDb) => {
  const stores = suiteStreamStores(getDb);
  const running = { content: '正在思考中...', finish: false };

  it('lists the running streams of a bot owned by another instance, with their req_id, oldest first', async () => {
    const dead = stores.instance(getDb(), 'dead');
    const next = stores.instance(getDb(), 'next');
    const now = Date.now();
    const older = streamMeta({ botKey: 'ws-orphans', reqId: 'req-older', receivedAt: now - 2000 });
    const newer = streamMeta({
      botKey: 'ws-orphans',
      reqId: 'req-newer',
      chattype: 'group',
      chatid: 'wr1',
      receivedAt: now,
    });
    const finished = streamMeta({ botKey: 'ws-orphans', reqId: 'req-done', receivedAt: now });
    const otherBot = streamMeta({ botKey: 'ws-other', reqId: 'req-other', receivedAt: now });
    const tooOld = streamMeta({ botKey: 'ws-orphans', receivedAt: now - 3_600_000 });
    for (const meta of [newer, older, finished, otherBot, tooOld]) await dead.create(meta, running);
    await dead.publish(finished.id, { content: 'done', finish: true });
    await next.create(streamMeta({ botKey: 'ws-orphans', reqId: 'req-mine', receivedAt: Date.now() }), running);

    const orphans = await next.orphansOf('ws-orphans', 60_000);
    expect(orphans.map((o) => o.meta)).toEqual([older, newer]);
    expect(orphans[0]?.snapshot).toEqual(running);
  });

  it("counts this instance's streams from before it started as left behind (a reused INSTANCE_ID)", async () => {
    const before = stores.instance(getDb(), 'same-id');
    const meta = streamMeta({ botKey: 'ws-reused', receivedAt: Date.now() - 1000 });
    await before.create(meta, running);
    before.close();
    await sleep(5);
    const after = stores.instance(getDb(), 'same-id');
    expect((await after.orphansOf('ws-reused', 60_000)).map((o) => o.meta.id)).toEqual([meta.id]);
  });

  it('finishes an orphan once: the first call wins, later ones and the owner find it finished', async () => {
    const dead = stores.instance(getDb(), 'dead-2');
    const next = stores.instance(getDb(), 'next-2');
    const meta = streamMeta({ botKey: 'ws-once', receivedAt: Date.now() });
    await dead.create(meta, running);
    const wins = await Promise.all([next.finishOrphan(meta.id, 'a'), next.finishOrphan(meta.id, 'b')]);
    expect(wins.sort()).toEqual([false, true]);
    expect(await next.finishOrphan(meta.id, 'c')).toBe(false);
    expect(await next.orphansOf('ws-once', 60_000)).toEqual([]);
    const { rows } = await getDb().query<{ content: string; finish: boolean }>(
      'SELECT content, finish FROM streams WHERE id = $1',
      [meta.id],
    );
    expect(rows[0]?.finish).toBe(true);
    expect(['a', 'b']).toContain(rows[0]?.content);
  });
});
