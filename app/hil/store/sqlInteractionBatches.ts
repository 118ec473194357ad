import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../../store/database';
import { OPEN_STATUSES, type HilRequest } from './hilRequests';
import { REQUEST_COLUMNS, requestFromRow, type RequestRow } from './hilRows';
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
/** The statuses that answer an interaction (approval: a decision; information: a reply). */
const ANSWERED = `('approved', 'rejected', 'completed')`;

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

/** No batch can be ready while one of its requests is not answered. */
const ALL_ANSWERED = `NOT EXISTS (SELECT 1 FROM hil_batch_items i JOIN hil_requests r ON r.id = i.request_id
  WHERE i.batch_id = b.id AND r.status NOT IN ${ANSWERED})`;

/** hil_batches and hil_batch_items of schema v7. */
export class SqlInteractionBatches implements InteractionBatches {
  constructor(private readonly db: Database) {}

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

  async dueDeliveries(now: number, limit: number, requestId?: string): Promise<string[]> {
    if (requestId !== undefined && !UUID.test(requestId)) return [];
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT b.id FROM hil_batches b
        WHERE b.delivery = 'pending' AND b.superseded_by IS NULL
          AND (b.next_attempt_at IS NULL OR b.next_attempt_at <= ${at(1)})
          AND (b.claimed_until IS NULL OR b.claimed_until <= ${at(1)})
          AND ($3::uuid IS NULL OR b.id IN (SELECT batch_id FROM hil_batch_items WHERE request_id = $3::uuid))
          AND ${ALL_ANSWERED}
        ORDER BY b.created_at LIMIT $2`,
      [now, limit, requestId ?? null],
    );
    return rows.map((r) => r.id);
  }

  async claimDelivery(id: string, now: number, leaseMs: number): Promise<ClaimedDelivery | undefined> {
    if (!UUID.test(id)) return undefined;
    const token = randomUUID();
    const { rows } = await this.db.query<ClaimRow>(
      `UPDATE hil_batches SET claim_token = $2, claimed_until = ${at(3)}, attempts = attempts + 1, updated_at = ${at(4)}
        WHERE id = $1 AND delivery = 'pending' AND superseded_by IS NULL AND callback_url IS NOT NULL
          AND (next_attempt_at IS NULL OR next_attempt_at <= ${at(4)})
          AND (claimed_until IS NULL OR claimed_until <= ${at(4)})
        RETURNING callback_url, callback_secret, snapshot, snapshot_version`,
      [id, token, now + leaseMs, now],
    );
    const row = rows[0];
    const batch = row === undefined ? undefined : await this.byId(id);
    if (row === undefined || batch === undefined || row.callback_url === null) return undefined;
    const snapshot = snapshotOfRow(row);
    return { batch, callbackUrl: row.callback_url, callbackSecret: row.callback_secret, snapshot, token };
  }

  async deliveryDone(id: string, token: string, now: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE hil_batches SET delivery = 'delivered', delivered_at = ${at(3)}, updated_at = ${at(3)},
         claim_token = NULL, claimed_until = NULL, last_error = NULL
        WHERE id = $1 AND claim_token = $2 AND delivery = 'pending'`,
      [id, token, now],
    );
    return rowCount > 0;
  }

  async deliveryFailed(id: string, token: string, error: string, retryAt: number | null, now: number): Promise<void> {
    await this.db.query(
      `UPDATE hil_batches SET delivery = CASE WHEN $3::float8 IS NULL THEN 'failed' ELSE 'pending' END,
         next_attempt_at = to_timestamp($3::float8 / 1000), last_error = $4, updated_at = ${at(5)},
         claim_token = NULL, claimed_until = NULL
        WHERE id = $1 AND claim_token = $2 AND delivery = 'pending'`,
      [id, token, retryAt, error.slice(0, 500), now],
    );
  }

  async abandonStale(now: number): Promise<number> {
    const { rowCount } = await this.db.query(
      `UPDATE hil_batches b SET delivery = 'abandoned', updated_at = ${at(1)},
         last_error = 'expired or cancelled before every interaction was answered'
        WHERE b.delivery = 'pending' AND NOT ${ALL_ANSWERED}
          AND (b.expires_at <= ${at(1)} OR EXISTS (SELECT 1 FROM hil_batch_items i JOIN hil_requests r
            ON r.id = i.request_id WHERE i.batch_id = b.id AND r.status IN ('expired', 'cancelled', 'error')))`,
      [now],
    );
    return rowCount;
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

interface ClaimRow {
  callback_url: string | null;
  callback_secret: string | null;
  snapshot: Buffer | null;
  snapshot_version: string | null;
}

function snapshotOfRow(row: { snapshot: Buffer | null; snapshot_version: string | null } | undefined): Snapshot | null {
  if (row?.snapshot === null || row?.snapshot === undefined) return null;
  return { version: row.snapshot_version ?? '', bytes: row.snapshot };
}
