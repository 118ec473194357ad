import type { Database } from '../../../app/store/database';
import { migrate } from '../../../app/store/migrations';
import { createPgDatabase } from '../../../app/store/pgDatabase';
import { MIGRATIONS } from '../../../app/store/schema';
import { SqlMsgidClaims } from '../../../app/store/sqlMsgidClaims';
import { forEachDatabase, forPostgres } from '../../helpers/databases';

forEachDatabase('SqlMsgidClaims', (getDb) => {
  beforeAll(async () => {
    await migrate(getDb(), MIGRATIONS);
  });

  it('lets the first claim of a key win and hands its stream id to every later claim', async () => {
    const claims = new SqlMsgidClaims(getDb());
    expect(await claims.claim('bot-a|msg-1', 'stream-first')).toEqual({ won: true });
    expect(await claims.claim('bot-a|msg-1', 'stream-second')).toEqual({ won: false, streamId: 'stream-first' });
    expect(await claims.claim('bot-a|msg-1', 'stream-third')).toEqual({ won: false, streamId: 'stream-first' });
    const { rows } = await getDb().query<{ stream_id: string }>('SELECT stream_id FROM msgid_claims WHERE key = $1', ['bot-a|msg-1']);
    expect(rows).toEqual([{ stream_id: 'stream-first' }]);
  });

  it('keeps different keys apart', async () => {
    const claims = new SqlMsgidClaims(getDb());
    expect(await claims.claim('bot-a|msg-2', 'stream-a')).toEqual({ won: true });
    expect(await claims.claim('bot-b|msg-2', 'stream-b')).toEqual({ won: true });
    expect(await claims.claim('bot-b|msg-2', 'stream-c')).toEqual({ won: false, streamId: 'stream-b' });
  });

  it('has exactly one winner among concurrent claims on one database handle', async () => {
    const claims = new SqlMsgidClaims(getDb());
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => claims.claim('bot-a|msg-3', `stream-${i}`)));
    const winners = results.flatMap((result, i) => (result.won ? [`stream-${i}`] : []));
    expect(winners).toHaveLength(1);
    for (const result of results) {
      if (!result.won) expect(result.streamId).toBe(winners[0]);
    }
  });
});

forPostgres('SqlMsgidClaims across instances', (getDb, target) => {
  let secondInstance: Database | undefined;

  beforeAll(async () => {
    await migrate(getDb(), MIGRATIONS);
    secondInstance = createPgDatabase({ connectionString: target.connectionString(), onError: () => undefined });
  });

  afterAll(async () => {
    await secondInstance?.close();
  });

  it('gives 20 concurrent claims of one key from two pools exactly one winner, whose stream id every loser sees', async () => {
    if (secondInstance === undefined) throw new Error('second pool not open');
    const instances = [new SqlMsgidClaims(getDb()), new SqlMsgidClaims(secondInstance)];
    for (let round = 0; round < 3; round++) {
      const key = `bot-a|concurrent-${round}`;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => instances[i % 2]?.claim(key, `stream-${round}-${i}`) ?? Promise.reject(new Error('no instance'))),
      );
      const winners = results.flatMap((result, i) => (result.won ? [`stream-${round}-${i}`] : []));
      expect(winners).toHaveLength(1);
      const loserIds = results.flatMap((result) => (result.won ? [] : [result.streamId]));
      expect(loserIds).toHaveLength(19);
      expect(new Set(loserIds)).toEqual(new Set(winners));
      const { rows } = await getDb().query<{ stream_id: string }>('SELECT stream_id FROM msgid_claims WHERE key = $1', [key]);
      expect(rows).toEqual([{ stream_id: winners[0] }]);
    }
  });
});
