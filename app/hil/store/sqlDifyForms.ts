import type { Queryable } from '../../store/database';
import { CLAIM_TTL_MS, type DifyForms, MAX_ATTEMPTS } from './difyForms';

/** A ms-since-epoch parameter as timestamptz. */
const at = (n: number): string => `to_timestamp($${n}::double precision / 1000)`;

/** The dify_forms table of schema v8. */
export class SqlDifyForms implements DifyForms {
  constructor(private readonly db: Queryable) {}

  async add(requestId: string, now: number): Promise<void> {
    await this.db.query(
      `INSERT INTO dify_forms (request_id, state, updated_at) VALUES ($1, 'waiting', ${at(2)})
       ON CONFLICT (request_id) DO NOTHING`,
      [requestId, now],
    );
  }

  async claim(requestId: string, now: number): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE dify_forms SET state = 'submitting', attempts = attempts + 1, claimed_at = ${at(2)}, updated_at = ${at(2)}
       WHERE request_id = $1 AND attempts < $3
         AND (state = 'waiting' OR (state = 'submitting' AND claimed_at < ${at(2)} - make_interval(secs => $4)))`,
      [requestId, now, MAX_ATTEMPTS, CLAIM_TTL_MS / 1000],
    );
    return result.rowCount > 0;
  }

  async finish(requestId: string, state: 'submitted' | 'expired' | 'failed', now: number): Promise<void> {
    await this.db.query(`UPDATE dify_forms SET state = $2, updated_at = ${at(3)} WHERE request_id = $1`, [
      requestId,
      state,
      now,
    ]);
  }

  async release(requestId: string, now: number): Promise<void> {
    await this.db.query(
      `UPDATE dify_forms SET state = CASE WHEN attempts < $3 THEN 'waiting' ELSE 'failed' END, updated_at = ${at(2)}
       WHERE request_id = $1 AND state = 'submitting'`,
      [requestId, now, MAX_ATTEMPTS],
    );
  }

  async unsettled(closedBefore: number, now: number, limit: number): Promise<string[]> {
    const { rows } = await this.db.query<{ request_id: string }>(
      `SELECT f.request_id FROM dify_forms f JOIN hil_requests r ON r.id = f.request_id
       WHERE (f.state = 'waiting' AND r.status NOT IN ('pending', 'inprogress') AND r.updated_at < ${at(1)})
          OR (f.state = 'submitting' AND f.attempts < $3 AND f.claimed_at < ${at(2)} - make_interval(secs => $4))
       ORDER BY f.updated_at LIMIT $5`,
      [closedBefore, now, MAX_ATTEMPTS, CLAIM_TTL_MS / 1000, limit],
    );
    return rows.map((r) => r.request_id);
  }
}
