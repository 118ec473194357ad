import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../../store/database';
import { OPEN_STATUSES, type HilRequest } from './hilRequests';
import { REQUEST_COLUMNS, requestFromRow, type RequestRow } from './hilRows';
import { SqlBatchDeliveries, snapshotOfRow } from './sqlBatchDeliveries';
import type {
  BatchDelivery,
  BatchItem,
  ClaimedDelivery,
  InteractionBatch,
  InteractionBatches,
  NewBatch,
  Snapshot,
} from './interactionBatches';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const at = (n: number): string => `to_timestamp($${n}::double precision / 1000)`;
const OPEN = `(${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`;

const BATCH_COLUMNS = `b.id, b.owner, b.callback_url, b.delivery, b.delivery_id, b.attempts, b.superseded_by,
  (extract(epoch from b.expires_at) * 1000)::float8 AS expires_at_ms,
  (extract(epoch from b.created_at) * 1000)::float8 AS created_at_ms,
  (SELECT COALESCE(json_agg(json_build_object('interactionId', i.interaction_id, 'requestId', i.request_id,
     'event', i.event) ORDER BY i.position), '[]'::json) FROM hil_batch_items i WHERE i.batch_id = b.id) AS items`;

interface BatchRow {
  id: string;
  owner: string;
  callback_url: string | null;
  delivery: BatchDelivery;
  delivery_id: string;
  attempts: number;
  superseded_by: string | null;
  expires_at_ms: number;
  created_at_ms: number;
  items: BatchItem[];
}

function batchFromRow(row: BatchRow): InteractionBatch {
  return {
    id: row.id,
    owner: row.owner,
    callbackUrl: row.callback_url,
    delivery: row.delivery,
    deliveryId: row.delivery_id,
    attempts: row.attempts,
    supersededBy: row.superseded_by,
    expiresAt: row.expires_at_ms,
    createdAt: row.created_at_ms,
    items: row.items,
  };
}

/** hil_batches and hil_batch_items of schema v7. */
export class SqlInteractionBatches implements InteractionBatches {
  private readonly deliveries: SqlBatchDeliveries;

  constructor(private readonly db: Database) {
    this.deliveries = new SqlBatchDeliveries(db);
  }

  async create(input: NewBatch, now: number): Promise<{ readonly batch: InteractionBatch; readonly created: boolean }> {
    const id = await this.db.transaction((tx) => this.insert(tx, input, now));
    const batch = await (id === undefined ? this.byFingerprint(input.owner, input.fingerprint) : this.byId(id));
    // Only a delete between the conflicting INSERT and this read gets here (nothing deletes batches today).
    if (batch === undefined) throw new Error('interaction batch conflicted but is gone');
    return { batch, created: id !== undefined };
  }

  byFingerprint(owner: string, fingerprint: string): Promise<InteractionBatch | undefined> {
    return this.one(`SELECT ${BATCH_COLUMNS} FROM hil_batches b WHERE b.owner = $1 AND b.fingerprint = $2`, [
      owner,
      fingerprint,
    ]);
  }

  byId(id: string): Promise<InteractionBatch | undefined> {
    if (!UUID.test(id)) return Promise.resolve(undefined);
    return this.one(`SELECT ${BATCH_COLUMNS} FROM hil_batches b WHERE b.id = $1`, [id]);
  }

  async snapshotOf(id: string): Promise<Snapshot | null> {
    if (!UUID.test(id)) return null;
    const { rows } = await this.db.query<{ snapshot: Buffer | null; snapshot_version: string | null }>(
      'SELECT snapshot, snapshot_version FROM hil_batches WHERE id = $1',
      [id],
    );
    return snapshotOfRow(rows[0]);
  }

  async requestsOf(id: string): Promise<HilRequest[]> {
    if (!UUID.test(id)) return [];
    const { rows } = await this.db.query<RequestRow>(
      // REQUEST_COLUMNS are unqualified: the join's own columns stay inside the subquery.
      `SELECT ${REQUEST_COLUMNS} FROM (SELECT r.*, i.position AS item_position FROM hil_requests r
          JOIN hil_batch_items i ON i.request_id = r.id WHERE i.batch_id = $1) AS hil_requests
        ORDER BY item_position`,
      [id],
    );
    return rows.map(requestFromRow);
  }

  dueDeliveries(now: number, limit: number, requestId?: string): Promise<string[]> {
    return this.deliveries.dueDeliveries(now, limit, requestId);
  }

  async claimDelivery(id: string, now: number, leaseMs: number): Promise<ClaimedDelivery | undefined> {
    const claim = await this.deliveries.claim(id, now, leaseMs);
    const batch = claim === undefined ? undefined : await this.byId(id);
    return claim === undefined || batch === undefined ? undefined : { batch, ...claim };
  }

  deliveryDone(id: string, token: string, now: number): Promise<boolean> {
    return this.deliveries.done(id, token, now);
  }

  deliveryFailed(id: string, token: string, error: string, retryAt: number | null, now: number): Promise<void> {
    return this.deliveries.failed(id, token, error, retryAt, now);
  }

  abandonStale(now: number): Promise<number> {
    return this.deliveries.abandonStale(now);
  }

  /** The new batch's id, or undefined when the owner already has one with this fingerprint. */
  private async insert(tx: Queryable, input: NewBatch, now: number): Promise<string | undefined> {
    const id = randomUUID();
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO hil_batches (id, owner, fingerprint, snapshot, snapshot_version, callback_url, callback_secret,
         delivery, delivery_id, expires_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, ${at(10)}, ${at(11)}, ${at(11)})
       ON CONFLICT (owner, fingerprint) DO NOTHING RETURNING id`,
      [
        ...[id, input.owner, input.fingerprint, input.snapshot?.bytes ?? null, input.snapshot?.version ?? null],
        ...[input.callbackUrl, input.callbackSecret, input.callbackUrl === null ? 'none' : 'pending', randomUUID()],
        ...[input.expiresAt, now],
      ],
    );
    if (rows[0] === undefined) return undefined;
    const requestIds = input.items.map((item) => item.requestId);
    await tx.query(
      `INSERT INTO hil_batch_items (batch_id, position, interaction_id, request_id, event)
       SELECT $1, (t.ord - 1)::int, t.e->>'interactionId', (t.e->>'requestId')::uuid, t.e->'event'
         FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t(e, ord)`,
      [id, JSON.stringify(input.items)],
    );
    await tx.query(
      `UPDATE hil_batches SET superseded_by = $1, updated_at = ${at(4)},
         delivery = CASE WHEN delivery = 'pending' THEN 'superseded' ELSE delivery END
        WHERE owner = $2 AND id <> $1 AND superseded_by IS NULL AND delivery IN ('none', 'pending')
          AND id IN (SELECT batch_id FROM hil_batch_items WHERE request_id = ANY($3::uuid[]))`,
      [id, input.owner, requestIds, now],
    );
    await tx.query(
      `UPDATE hil_requests SET expires_at = GREATEST(expires_at, ${at(2)})
        WHERE id = ANY($1::uuid[]) AND status IN ${OPEN}`,
      [requestIds, input.expiresAt],
    );
    return id;
  }

  private async one(sql: string, params: readonly unknown[]): Promise<InteractionBatch | undefined> {
    const { rows } = await this.db.query<BatchRow>(sql, params);
    return rows[0] === undefined ? undefined : batchFromRow(rows[0]);
  }
}
