import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../store/database';
import type { Snapshot } from './interactionBatches';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const at = (n: number): string => `to_timestamp($${n}::double precision / 1000)`;

/**
 * No batch is ready while one of its requests is not answered (approved, rejected, completed); a request
 * retention deleted counts as not answered.
 */
const ALL_ANSWERED = `NOT EXISTS (SELECT 1 FROM hil_batch_items i LEFT JOIN hil_requests r ON r.id = i.request_id
  WHERE i.batch_id = b.id AND (r.id IS NULL OR r.status NOT IN ('approved', 'rejected', 'completed')))`;

/** One of its requests can never be answered any more. */
const ONE_ENDED = `EXISTS (SELECT 1 FROM hil_batch_items i LEFT JOIN hil_requests r ON r.id = i.request_id
  WHERE i.batch_id = b.id AND (r.id IS NULL OR r.status IN ('expired', 'cancelled', 'error')))`;

export interface DeliveryClaim {
  readonly callbackUrl: string;
  readonly callbackSecret: string | null;
  readonly snapshot: Snapshot | null;
  readonly token: string;
}

interface ClaimRow {
  callback_url: string | null;
  callback_secret: string | null;
  snapshot: Buffer | null;
  snapshot_version: string | null;
}

export function snapshotOfRow(
  row: { snapshot: Buffer | null; snapshot_version: string | null } | undefined,
): Snapshot | null {
  if (row?.snapshot === null || row?.snapshot === undefined) return null;
  return { version: row.snapshot_version ?? '', bytes: row.snapshot };
}

/**
 * The webhook columns of hil_batches (schema v7): which deliveries are due, the claim that makes one
 * instance their sender (a conditional UPDATE with a token and a lease), and its outcome. Every outcome
 * is conditional on the token, so a sender whose lease lapsed records nothing over its successor.
 */
export class SqlBatchDeliveries {
  constructor(private readonly db: Queryable) {}

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

  async claim(id: string, now: number, leaseMs: number): Promise<DeliveryClaim | undefined> {
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
    if (row === undefined || row.callback_url === null) return undefined;
    return { callbackUrl: row.callback_url, callbackSecret: row.callback_secret, snapshot: snapshotOfRow(row), token };
  }

  async done(id: string, token: string, now: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE hil_batches SET delivery = 'delivered', delivered_at = ${at(3)}, updated_at = ${at(3)},
         claim_token = NULL, claimed_until = NULL, last_error = NULL
        WHERE id = $1 AND claim_token = $2 AND delivery = 'pending'`,
      [id, token, now],
    );
    return rowCount > 0;
  }

  async failed(id: string, token: string, error: string, retryAt: number | null, now: number): Promise<void> {
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
        WHERE b.delivery = 'pending' AND NOT ${ALL_ANSWERED} AND (b.expires_at <= ${at(1)} OR ${ONE_ENDED})`,
      [now],
    );
    return rowCount;
  }
}
