import { MemoryStreamStore } from '../../../app/store/memoryStreamStore';
import type { StreamMeta } from '../../../app/store/streamStore';

const meta = (id: string): StreamMeta => ({
  id,
  msgid: `m-${id}`,
  botKey: '*',
  aibotid: 'a',
  userid: 'u',
  chatid: undefined,
  chattype: 'single',
  responseUrl: undefined,
  receivedAt: 0,
});

describe('MemoryStreamStore', () => {
  it('keeps the latest snapshot and ignores writes after the finish', async () => {
    const store = new MemoryStreamStore({ ttlMs: 60_000 });
    await store.create(meta('s1'), { content: 'a', finish: false });
    await store.publish('s1', { content: 'ab', finish: false });
    await store.publish('s1', { content: 'abc', finish: true });
    await store.publish('s1', { content: 'late', finish: false });
    expect((await store.get('s1'))?.snapshot).toEqual({ content: 'abc', finish: true });
  });

  it('evicts the oldest streams when images exceed the byte bound', async () => {
    const store = new MemoryStreamStore({ ttlMs: 60_000, maxBytes: 3 * 1024 * 1024 });
    const image = { base64: 'A'.repeat(1024 * 1024), md5: '0'.repeat(32) };
    for (const id of ['s1', 's2', 's3', 's4']) {
      await store.create(meta(id), { content: 'x', finish: false });
      await store.publish(id, { content: 'x', finish: true, images: [image] });
    }
    expect(await store.get('s1')).toBeUndefined();
    expect((await store.get('s4'))?.snapshot.images).toHaveLength(1);
  });
});
