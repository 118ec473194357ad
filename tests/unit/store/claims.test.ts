import type { StreamMeta } from '../../../app/store/streamStore';
import type { Database } from '../../../app/store/database';
import { migrate } from '../../../app/store/migrations';
import { createPgDatabase } from '../../../app/store/pgDatabase';
import { MIGRATIONS } from '../../../app/store/schema';
import { SharedStreamStore } from '../../../app/store/sharedStreamStore';
import { forEachDatabase, forPostgres } from '../../helpers/databases';

const OPTIONS = { flushIntervalMs: 50, heartbeatIntervalMs: 60_000, ownerTimeoutMs: 10_000, ttlMs: 60_000 };
const meta = (id: string): StreamMeta => ({
  id,
  msgid: 'm',
  botKey: '*',
  aibotid: 'a',
  userid: 'u',
  chatid: undefined,
  chattype: 'single',
  responseUrl: undefined,
  receivedAt: Date.now(),
});
const THINKING = { content: '正在思考中...', finish: false };

forEachDatabase('msgid claims (claim and create in one statement)', (getDb) => {
  let store: SharedStreamStore;
  beforeAll(async () => {
    await migrate(getDb(), MIGRATIONS);
    store = new SharedStreamStore(getDb(), { ...OPTIONS, instanceId: 'A' }, () => undefined);
  });
  afterAll(() => store.close());

  it('lets the first claim of a key win and create its stream, and hands that stream id to every later claim', async () => {
    expect(await store.claim('bot-a|msg-1', meta('stream-first'), THINKING)).toEqual({ won: true });
    expect(await store.claim('bot-a|msg-1', meta('stream-second'), THINKING)).toEqual({
      won: false,
      streamId: 'stream-first',
    });
    const { rows } = await getDb().query<{ id: string }>('SELECT id FROM streams WHERE id LIKE $1 ORDER BY id', [
      'stream-%',
    ]);
    expect(rows).toEqual([{ id: 'stream-first' }]);
    expect((await store.get('stream-first'))?.snapshot).toEqual(THINKING);
  });

  it('keeps different keys apart', async () => {
    expect(await store.claim('bot-a|msg-2', meta('s-a'), THINKING)).toEqual({ won: true });
    expect(await store.claim('bot-b|msg-2', meta('s-b'), THINKING)).toEqual({ won: true });
    expect(await store.claim('bot-b|msg-2', meta('s-c'), THINKING)).toEqual({ won: false, streamId: 's-b' });
  });

  it('has exactly one winner among concurrent claims on one database handle', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.claim('bot-a|msg-3', meta(`c3-${i}`), THINKING)),
    );
    const winners = results.flatMap((result, i) => (result.won ? [`c3-${i}`] : []));
    expect(winners).toHaveLength(1);
    for (const result of results) if (!result.won) expect(result.streamId).toBe(winners[0]);
  });
});

forPostgres('msgid claims across instances', (getDb, target) => {
  let second: Database | undefined;
  let stores: SharedStreamStore[] = [];
  beforeAll(async () => {
    await migrate(getDb(), MIGRATIONS);
    second = createPgDatabase({ connectionString: target.connectionString(), onError: () => undefined });
    stores = [
      new SharedStreamStore(getDb(), { ...OPTIONS, instanceId: 'A' }, () => undefined),
      new SharedStreamStore(second, { ...OPTIONS, instanceId: 'B' }, () => undefined),
    ];
  });
  afterAll(async () => {
    for (const store of stores) store.close();
    await second?.close();
  });

  it('gives 20 concurrent claims of one key from two pools exactly one winner, whose stream every loser sees', async () => {
    for (let round = 0; round < 3; round += 1) {
      const key = `bot-a|concurrent-${round}`;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (stores[i % 2] as SharedStreamStore).claim(key, meta(`r${round}-${i}`), THINKING),
        ),
      );
      const winners = results.flatMap((result, i) => (result.won ? [`r${round}-${i}`] : []));
      expect(winners).toHaveLength(1);
      const losers = results.flatMap((result) => (result.won ? [] : [result.streamId]));
      expect(new Set(losers)).toEqual(new Set(winners));
      const { rows } = await getDb().query<{ n: string }>('SELECT count(*) AS n FROM streams WHERE id LIKE $1', [
        `r${round}-%`,
      ]);
      expect(rows[0]?.n).toBe('1');
    }
  });
});
