import { forEachDatabase } from '../../helpers/databases';
import { CountingDatabase, suiteStreamStores, image, storedImages, storedStream, streamMeta } from './storeTestKit';

/** No heartbeat during a test: the query counts below are exactly what one call makes. */
const NO_BEAT = { heartbeatIntervalMs: 60_000 };

forEachDatabase('SharedStreamStore reads', (getDb) => {
  const stores = suiteStreamStores(getDb);

  describe('queries per poll', () => {
    it('answers the owner from memory: 0 queries, running or finished', async () => {
      const ownerDb = new CountingDatabase(getDb());
      const owner = stores.instance(ownerDb, 'owner', NO_BEAT);
      const meta = streamMeta();
      await owner.create(meta, { content: '', finish: false });

      let before = ownerDb.queryCount;
      expect(await owner.get(meta.id)).toEqual({ meta, snapshot: { content: '', finish: false } });
      expect(ownerDb.queryCount - before).toBe(0);

      await owner.publish(meta.id, { content: 'done', finish: true, images: [image('a')] });
      before = ownerDb.queryCount;
      expect((await owner.get(meta.id))?.snapshot).toEqual({ content: 'done', finish: true, images: [image('a')] });
      expect(ownerDb.queryCount - before).toBe(0);
    });

    it('answers another instance with 1 query for a running stream and for an unknown id', async () => {
      const owner = stores.instance(getDb(), 'owner', NO_BEAT);
      const readerDb = new CountingDatabase(getDb());
      const reader = stores.instance(readerDb, 'reader', NO_BEAT);
      const meta = streamMeta();
      await owner.create(meta, { content: 'thinking', finish: false });

      let before = readerDb.queryCount;
      expect(await reader.get(meta.id)).toEqual({
        meta,
        snapshot: { content: 'thinking', finish: false },
        stale: false,
      });
      expect(readerDb.queryCount - before).toBe(1);

      before = readerDb.queryCount;
      expect(await reader.get('no-such-stream')).toBeUndefined();
      expect(readerDb.queryCount - before).toBe(1);
    });

    it('answers another instance with 1 query for a finished stream without images, 2 with images', async () => {
      const owner = stores.instance(getDb(), 'owner', NO_BEAT);
      const readerDb = new CountingDatabase(getDb());
      const reader = stores.instance(readerDb, 'reader', NO_BEAT);
      const plain = streamMeta();
      const illustrated = streamMeta();
      await owner.create(plain, { content: '', finish: false });
      await owner.create(illustrated, { content: '', finish: false });
      await owner.publish(plain.id, { content: 'text only', finish: true });
      await owner.publish(illustrated.id, { content: 'with pictures', finish: true, images: [image('1'), image('2')] });

      let before = readerDb.queryCount;
      expect((await reader.get(plain.id))?.snapshot).toEqual({ content: 'text only', finish: true });
      expect(readerDb.queryCount - before).toBe(1);

      before = readerDb.queryCount;
      const record = await reader.get(illustrated.id);
      expect(readerDb.queryCount - before).toBe(2);
      expect(record).toEqual({
        meta: illustrated,
        snapshot: { content: 'with pictures', finish: true, images: [image('1'), image('2')] },
        stale: false,
      });
    });
  });

  describe('meta', () => {
    it('round-trips through the database: receivedAt in ms, chatid and responseUrl absent or set', async () => {
      const owner = stores.instance(getDb(), 'owner', NO_BEAT);
      const reader = stores.instance(getDb(), 'reader', NO_BEAT);
      const single = streamMeta({
        chatid: undefined,
        chattype: 'single',
        responseUrl: 'https://example.test/r?code=1&x=%20',
        receivedAt: 1_718_000_000_999,
      });
      const group = streamMeta({
        botKey: 'bot-b',
        aibotid: 'aibot-2',
        userid: 'bob',
        chatid: 'chat-42',
        chattype: 'group',
        responseUrl: undefined,
        receivedAt: Date.now(),
      });
      const epochish = streamMeta({ receivedAt: 1 });
      for (const meta of [single, group, epochish]) await owner.create(meta, { content: '', finish: false });

      for (const meta of [single, group, epochish]) {
        const record = await reader.get(meta.id);
        // Strict: an absent chatid or responseUrl must come back as undefined, not null or ''.
        expect(record?.meta).toStrictEqual(meta);
      }
    });
  });

  describe('orphan finish by another instance', () => {
    it('finishes a running stream it does not own, with its images', async () => {
      const owner = stores.instance(getDb(), 'owner', NO_BEAT);
      const rescuer = stores.instance(getDb(), 'rescuer', NO_BEAT);
      const meta = streamMeta();
      await owner.create(meta, { content: 'half an answ', finish: false });

      await rescuer.publish(meta.id, { content: 'Sorry, the answer was lost.', finish: true, images: [image('x')] });

      expect(await storedStream(getDb(), meta.id)).toEqual({
        content: 'Sorry, the answer was lost.',
        finish: true,
        image_count: 1,
      });
      expect(await storedImages(getDb(), meta.id)).toEqual([image('x')]);
      expect((await rescuer.get(meta.id))?.snapshot).toEqual({
        content: 'Sorry, the answer was lost.',
        finish: true,
        images: [image('x')],
      });
    });

    it('ignores a non-final publish for a stream it does not own', async () => {
      const owner = stores.instance(getDb(), 'owner', NO_BEAT);
      const other = stores.instance(getDb(), 'other', NO_BEAT);
      const meta = streamMeta();
      await owner.create(meta, { content: 'original', finish: false });

      await other.publish(meta.id, { content: 'not mine to write', finish: false });

      expect(await storedStream(getDb(), meta.id)).toEqual({ content: 'original', finish: false, image_count: 0 });
    });

    it('changes nothing when the owner already finished', async () => {
      const owner = stores.instance(getDb(), 'owner', NO_BEAT);
      const rescuer = stores.instance(getDb(), 'rescuer', NO_BEAT);
      const meta = streamMeta();
      await owner.create(meta, { content: '', finish: false });
      await owner.publish(meta.id, { content: 'the real answer', finish: true, images: [image('real')] });

      await rescuer.publish(meta.id, {
        content: 'orphan notice',
        finish: true,
        images: [image('orphan-1'), image('orphan-2')],
      });

      expect(await storedStream(getDb(), meta.id)).toEqual({
        content: 'the real answer',
        finish: true,
        image_count: 1,
      });
      expect(await storedImages(getDb(), meta.id)).toEqual([image('real')]);
      expect((await rescuer.get(meta.id))?.snapshot).toEqual({
        content: 'the real answer',
        finish: true,
        images: [image('real')],
      });
    });

    it('lets only the first of two orphan finishes win', async () => {
      const owner = stores.instance(getDb(), 'owner', NO_BEAT);
      const first = stores.instance(getDb(), 'first', NO_BEAT);
      const second = stores.instance(getDb(), 'second', NO_BEAT);
      const meta = streamMeta();
      await owner.create(meta, { content: '', finish: false });

      await first.publish(meta.id, { content: 'first orphan', finish: true, images: [image('f')] });
      await second.publish(meta.id, { content: 'second orphan', finish: true, images: [image('s')] });

      expect(await storedStream(getDb(), meta.id)).toEqual({ content: 'first orphan', finish: true, image_count: 1 });
      expect(await storedImages(getDb(), meta.id)).toEqual([image('f')]);
    });
  });
});
