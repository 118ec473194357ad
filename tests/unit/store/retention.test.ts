import type { ReceivedMessage } from '../../../app/store/messageLog';
import { SqlMessageLog } from '../../../app/store/sqlMessageLog';
import { migrate } from '../../../app/store/migrations';
import { applyRetention, type RetentionPeriods } from '../../../app/store/retention';
import { MIGRATIONS } from '../../../app/store/schema';
import { SqlConversationStore } from '../../../app/store/sqlConversationStore';
import { StreamRows } from '../../../app/store/streamRows';
import { forEachDatabase } from '../../helpers/databases';
import { SqlAdmissionCounts } from '../../../app/store/sqlAdmissionCounts';
import { SqlHilRequests } from '../../../app/hil/store/sqlHilRequests';
import { image, receivedMessage, streamMeta } from './storeTestKit';

const arrivedNow = (streamId: string): ReceivedMessage =>
  receivedMessage({ streamId, msgid: `msg-${streamId}`, receivedAt: Date.now() });

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
const PERIODS: RetentionPeriods = {
  streamMs: HOUR_MS,
  messageMs: 2 * DAY_MS,
  conversationMs: 7 * DAY_MS,
  admissionMs: HOUR_MS,
};

forEachDatabase('applyRetention', (getDb) => {
  beforeAll(async () => {
    await migrate(getDb(), MIGRATIONS);
  });

  beforeEach(async () => {
    // stream_images goes with its streams.
    for (const table of ['streams', 'msgid_claims', 'messages', 'conversations', 'hil_requests', 'user_admission'])
      await getDb().query(`DELETE FROM ${table}`);
  });

  async function ids(sql: string): Promise<string[]> {
    const { rows } = await getDb().query<{ id: string }>(sql);
    return rows.map((row) => row.id).sort();
  }

  /** A finished stream with `imageCount` images. */
  async function stream(id: string, imageCount: number): Promise<void> {
    const rows = new StreamRows(getDb());
    await rows.insert(streamMeta({ id }), { content: '', finish: false }, 'instance-1');
    const images = Array.from({ length: imageCount }, (_, i) => image(`${id}-${i}`));
    await rows.finish(id, 'answer', images);
  }

  async function backdate(table: string, column: string, keyColumn: string, key: string, age: string): Promise<void> {
    const updated = await getDb().query(
      `UPDATE ${table} SET ${column} = now() - $2::interval WHERE ${keyColumn} = $1`,
      [key, age],
    );
    expect(updated.rowCount).toBe(1);
  }

  it('deletes streams and msgid claims past the stream period, and keeps recent ones', async () => {
    await stream('s-old', 0);
    await stream('s-recent', 0);
    await stream('s-new', 0);
    await backdate('streams', 'updated_at', 'id', 's-old', '2 hours');
    await backdate('streams', 'updated_at', 'id', 's-recent', '50 minutes');
    const claim = async (key: string, streamId: string): Promise<number> =>
      (
        await getDb().query('INSERT INTO msgid_claims (key, stream_id) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [
          key,
          streamId,
        ])
      ).rowCount;
    for (const key of ['c-old', 'c-recent', 'c-new']) await claim(key, `stream-${key}`);
    await backdate('msgid_claims', 'created_at', 'key', 'c-old', '2 hours');
    await backdate('msgid_claims', 'created_at', 'key', 'c-recent', '50 minutes');

    expect(await applyRetention(getDb(), PERIODS)).toEqual({
      streams: 1,
      claims: 1,
      messages: 0,
      conversations: 0,
      hilRequests: 0,
      hilBatches: 0,
      admissions: 0,
    });
    expect(await ids('SELECT id FROM streams')).toEqual(['s-new', 's-recent']);
    expect(await ids('SELECT key AS id FROM msgid_claims')).toEqual(['c-new', 'c-recent']);
    // A retry of the deleted msgid may claim it anew.
    expect(await claim('c-old', 'stream-retry')).toBe(1);
  });

  it('deletes the images of a deleted stream with it, and keeps those of the others', async () => {
    await stream('s-old-images', 3);
    await stream('s-new-images', 2);
    await backdate('streams', 'updated_at', 'id', 's-old-images', '2 hours');

    expect((await applyRetention(getDb(), PERIODS)).streams).toBe(1);
    const { rows } = await getDb().query<{ stream_id: string; n: number }>(
      'SELECT stream_id, count(*)::int AS n FROM stream_images GROUP BY stream_id',
    );
    expect(rows).toEqual([{ stream_id: 's-new-images', n: 2 }]);
  });

  it('deletes messages by age of receipt and conversations by age of last use, each with its own period', async () => {
    const log = new SqlMessageLog(getDb(), (err) => {
      throw err;
    });
    for (const id of ['m-old', 'm-older', 'm-recent', 'm-new']) await log.received(arrivedNow(id));
    await log.flush();
    await backdate('messages', 'received_at', 'stream_id', 'm-old', '3 days');
    await backdate('messages', 'received_at', 'stream_id', 'm-older', '30 days');
    // Older than the stream period but within the message period.
    await backdate('messages', 'received_at', 'stream_id', 'm-recent', '1 day');
    const conversations = new SqlConversationStore(getDb());
    for (const user of ['old', 'recent', 'new'])
      await conversations.set({ key: `k-${user}`, agentId: 'agent-1', difyUser: user }, `conv-${user}`);
    await backdate('conversations', 'updated_at', 'key', 'k-old', '10 days');
    await backdate('conversations', 'updated_at', 'key', 'k-recent', '3 days');

    expect(await applyRetention(getDb(), PERIODS)).toEqual({
      streams: 0,
      claims: 0,
      messages: 2,
      conversations: 1,
      hilRequests: 0,
      hilBatches: 0,
      admissions: 0,
    });
    expect(await ids('SELECT stream_id AS id FROM messages')).toEqual(['m-new', 'm-recent']);
    expect(await ids('SELECT key AS id FROM conversations')).toEqual(['k-new', 'k-recent']);
    expect(await conversations.get('k-old')).toBeUndefined();
  });

  it('counts nothing when nothing is old enough, and a second run deletes nothing more', async () => {
    await stream('s-fresh', 1);
    await getDb().query('INSERT INTO msgid_claims (key, stream_id) VALUES ($1, $2)', ['c-fresh', 's-fresh']);
    const log = new SqlMessageLog(getDb(), (err) => {
      throw err;
    });
    await log.received(arrivedNow('m-fresh'));
    await log.flush();
    await new SqlConversationStore(getDb()).set({ key: 'k-fresh', agentId: 'agent-1', difyUser: 'u' }, 'conv');
    const nothing = {
      streams: 0,
      claims: 0,
      messages: 0,
      conversations: 0,
      hilRequests: 0,
      hilBatches: 0,
      admissions: 0,
    };

    expect(await applyRetention(getDb(), PERIODS)).toEqual(nothing);
    await backdate('streams', 'updated_at', 'id', 's-fresh', '2 hours');
    expect(await applyRetention(getDb(), PERIODS)).toEqual({ ...nothing, streams: 1 });
    expect(await applyRetention(getDb(), PERIODS)).toEqual(nothing);
  });

  it('deletes ended people-in-the-loop requests past the message period, never an open one', async () => {
    const requests = new SqlHilRequests(getDb());
    const make = async (requestId: string, status: 'pending' | 'approved'): Promise<string> => {
      const { request } = await requests.create(
        {
          owner: 'agents',
          platform: 'wecom',
          conversationId: 'c',
          requestId,
          taskId: 't',
          loopType: 'approval',
          context: {},
          metadata: {},
          target: { botKey: '*', chattype: 'single', chatid: 'u' },
          approvers: [],
          delivery: 'queued',
          cardTaskId: null,
          expiresAt: Date.now() + DAY_MS,
        },
        Date.now(),
      );
      if (status !== 'pending') await requests.forceStatus(request.id, status, Date.now());
      await backdate('hil_requests', 'updated_at', 'id', request.id, '3 days');
      return request.id;
    };
    const open = await make('r-open', 'pending');
    await make('r-ended', 'approved');

    expect((await applyRetention(getDb(), PERIODS)).hilRequests).toBe(1);
    expect(await ids('SELECT id::text AS id FROM hil_requests')).toEqual([open]);
  });

  it('deletes interaction batches past the message period unless their webhook is still to be sent', async () => {
    const batch = async (id: string, delivery: string): Promise<void> => {
      await getDb().query(
        `INSERT INTO hil_batches (id, owner, fingerprint, snapshot, delivery, delivery_id, expires_at, created_at, updated_at)
         VALUES ($1::uuid, 'agents', $1::text, $2, $3, $1::uuid, now() - interval '3 days', now() - interval '3 days', now() - interval '3 days')`,
        [id, Buffer.from('snapshot'), delivery],
      );
    };
    const pending = '00000000-0000-4000-8000-00000000000a';
    await batch(pending, 'pending');
    await batch('00000000-0000-4000-8000-00000000000b', 'delivered');
    await batch('00000000-0000-4000-8000-00000000000c', 'none');

    expect((await applyRetention(getDb(), PERIODS)).hilBatches).toBe(2);
    expect(await ids('SELECT id::text AS id FROM hil_batches')).toEqual([pending]);
  });

  it('deletes the admission rows of users not seen for the admission period', async () => {
    const counts = new SqlAdmissionCounts(getDb(), 'instance-1');
    const limits = { perMinute: 5, concurrent: 2, runningExpiryMs: HOUR_MS };
    for (const user of ['a-old', 'a-new']) await counts.take(user, `turn-${user}`, Date.now(), limits);
    await backdate('user_admission', 'updated_at', 'user_key', 'a-old', '2 hours');

    expect((await applyRetention(getDb(), PERIODS)).admissions).toBe(1);
    expect(await ids('SELECT user_key AS id FROM user_admission')).toEqual(['a-new']);
  });

  it('takes the periods in milliseconds', async () => {
    await stream('s-seconds-old', 0);
    await backdate('streams', 'updated_at', 'id', 's-seconds-old', '5 seconds');
    await stream('s-just-now', 0);

    expect((await applyRetention(getDb(), { ...PERIODS, streamMs: 2500 })).streams).toBe(1);
    expect(await ids('SELECT id FROM streams')).toEqual(['s-just-now']);
  });
});
