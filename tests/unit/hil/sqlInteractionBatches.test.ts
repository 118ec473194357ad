import { randomBytes } from 'node:crypto';
import type { HilRequest, NewHilRequest } from '../../../app/hil/store/hilRequests';
import type { NewBatch } from '../../../app/hil/store/interactionBatches';
import { SqlHilRequests } from '../../../app/hil/store/sqlHilRequests';
import { SqlInteractionBatches } from '../../../app/hil/store/sqlInteractionBatches';
import { migrate } from '../../../app/store/migrations';
import { MIGRATIONS } from '../../../app/store/schema';
import { forEachDatabase } from '../../helpers/databases';

const T0 = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
const MINUTE = 60_000;
let seq = 0;

function newRequest(owner: string): NewHilRequest {
  seq += 1;
  return {
    owner,
    platform: 'bridgic',
    conversationId: 'bridgic',
    requestId: `interaction-${seq}`,
    taskId: 'interaction',
    loopType: 'information',
    context: { question: `q${seq}` },
    metadata: {},
    target: { botKey: 'bot', chattype: 'single', chatid: 'alice' },
    approvers: [],
    delivery: 'delivered',
    cardTaskId: null,
    expiresAt: T0 + 10 * MINUTE,
  };
}

forEachDatabase('SqlInteractionBatches', (getDb) => {
  let requests: SqlHilRequests;
  let batches: SqlInteractionBatches;
  beforeAll(async () => {
    await migrate(getDb(), MIGRATIONS);
    requests = new SqlHilRequests(getDb());
    batches = new SqlInteractionBatches(getDb());
  });

  async function ask(owner = 'key-a'): Promise<HilRequest> {
    return (await requests.create(newRequest(owner), T0)).request;
  }

  function batchOf(owner: string, asked: HilRequest[], extra: Partial<NewBatch> = {}): NewBatch {
    return {
      owner,
      fingerprint: randomBytes(8).toString('hex'),
      snapshot: { version: '1.0', bytes: randomBytes(64) },
      callbackUrl: 'https://example.com/hook',
      callbackSecret: null,
      expiresAt: T0 + 60 * MINUTE,
      items: asked.map((r) => ({ interactionId: r.requestId, requestId: r.id, event: { data: { prompt: 'x' } } })),
      ...extra,
    };
  }

  const answer = (r: HilRequest) =>
    requests.answer(r.id, {
      status: 'completed',
      response: { information: 'ok' },
      respondedBy: 'alice',
      respondedAt: T0,
    });

  it('keeps one batch per owner and fingerprint, the items in order and the snapshot byte for byte', async () => {
    const asked = [await ask(), await ask()];
    const input = batchOf('key-a', asked);
    const { batch, created } = await batches.create(input, T0);
    expect(created).toBe(true);
    expect(batch.items.map((i) => i.requestId)).toEqual(asked.map((r) => r.id));
    const again = await batches.create({ ...input, snapshot: null }, T0 + 1);
    expect([again.created, again.batch.id]).toEqual([false, batch.id]);
    expect((await batches.snapshotOf(batch.id))?.bytes.equals(input.snapshot!.bytes)).toBe(true);
    expect((await batches.requestsOf(batch.id)).map((r) => r.id)).toEqual(asked.map((r) => r.id));
    // The requests now live as long as their batch.
    expect((await requests.byId(asked[0]!.id))?.expiresAt).toBe(T0 + 60 * MINUTE);
  });

  it('is due only once every request is answered, and one of two concurrent claims wins', async () => {
    const asked = [await ask(), await ask()];
    const { batch } = await batches.create(batchOf('key-a', asked), T0);
    await answer(asked[0]!);
    expect(await batches.dueDeliveries(T0, 10, asked[0]!.id)).toEqual([]);
    await answer(asked[1]!);
    expect(await batches.dueDeliveries(T0, 10, asked[1]!.id)).toEqual([batch.id]);
    const claims = await Promise.all([1, 2, 3].map(() => batches.claimDelivery(batch.id, T0, MINUTE)));
    const won = claims.filter((c) => c !== undefined);
    expect(won).toHaveLength(1);
    expect(won[0]!.batch.attempts).toBe(1);
    expect(await batches.dueDeliveries(T0 + 1000, 10, asked[1]!.id)).toEqual([]);
    await batches.deliveryFailed(batch.id, won[0]!.token, 'HTTP 500', T0 + 5000, T0 + 10);
    expect(await batches.claimDelivery(batch.id, T0 + 4999, MINUTE)).toBeUndefined();
    const retry = await batches.claimDelivery(batch.id, T0 + 5000, MINUTE);
    expect(retry?.batch.attempts).toBe(2);
    expect(await batches.deliveryDone(batch.id, won[0]!.token, T0 + 5001)).toBe(false);
    expect(await batches.deliveryDone(batch.id, retry!.token, T0 + 5001)).toBe(true);
    expect((await batches.byId(batch.id))?.delivery).toBe('delivered');
    expect(await batches.claimDelivery(batch.id, T0 + 9 * MINUTE, MINUTE)).toBeUndefined();
  });

  it('a lapsed claim (a dead sender) is taken over after its lease', async () => {
    const asked = [await ask()];
    const { batch } = await batches.create(batchOf('key-a', asked), T0);
    await answer(asked[0]!);
    expect(await batches.claimDelivery(batch.id, T0, MINUTE)).toBeDefined();
    expect(await batches.claimDelivery(batch.id, T0 + MINUTE - 1, MINUTE)).toBeUndefined();
    expect(await batches.dueDeliveries(T0 + MINUTE, 100)).toContain(batch.id);
    expect((await batches.claimDelivery(batch.id, T0 + MINUTE, MINUTE))?.batch.attempts).toBe(2);
  });

  it('a newer batch with a re-raised request supersedes the older one; another owner’s is untouched', async () => {
    const [a, b] = [await ask(), await ask()];
    const older = (await batches.create(batchOf('key-a', [a, b]), T0)).batch;
    const newer = (await batches.create(batchOf('key-a', [b]), T0 + 1)).batch;
    const stored = await batches.byId(older.id);
    expect([stored?.supersededBy, stored?.delivery]).toEqual([newer.id, 'superseded']);
    await answer(a);
    await answer(b);
    expect(await batches.dueDeliveries(T0 + 2, 10, b.id)).toEqual([newer.id]);
  });

  it('abandons a pending delivery whose batch expired or whose request was cancelled', async () => {
    const [a, b] = [await ask(), await ask()];
    const expiring = (await batches.create(batchOf('key-a', [a], { expiresAt: T0 + MINUTE }), T0)).batch;
    const cancelled = (await batches.create(batchOf('key-a', [b]), T0)).batch;
    await requests.answer(b.id, { status: 'cancelled', response: null, respondedBy: null, respondedAt: T0 });
    expect(await batches.abandonStale(T0 + MINUTE)).toBeGreaterThanOrEqual(2);
    expect((await batches.byId(expiring.id))?.delivery).toBe('abandoned');
    expect((await batches.byId(cancelled.id))?.delivery).toBe('abandoned');
  });

  it('counts a request that retention deleted as never answered: not due, abandoned', async () => {
    const gone = await ask();
    const { batch } = await batches.create(batchOf('key-a', [gone]), T0);
    await getDb().query('DELETE FROM hil_requests WHERE id = $1', [gone.id]);
    expect(await batches.dueDeliveries(T0, 100)).not.toContain(batch.id);
    await batches.abandonStale(T0);
    expect((await batches.byId(batch.id))?.delivery).toBe('abandoned');
  });

  it('names nothing with an id that is no uuid', async () => {
    expect(await batches.byId('nope')).toBeUndefined();
    expect(await batches.requestsOf('nope')).toEqual([]);
    expect(await batches.snapshotOf('nope')).toBeNull();
    expect(await batches.claimDelivery('nope', T0, MINUTE)).toBeUndefined();
  });
});
