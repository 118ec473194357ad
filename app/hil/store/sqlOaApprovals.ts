import type { Queryable } from '../../store/database';
import type { OaApproval, OaApprovals, OaState } from './oaApprovals';

const COLUMNS = 'request_id, sp_no, template_id, approvers, state, last_status';
const at = (n: number): string => `to_timestamp($${n}::double precision / 1000)`;

interface Row {
  request_id: string;
  sp_no: string | null;
  template_id: string;
  approvers: unknown;
  state: OaState;
  last_status: number | null;
}

function fromRow(row: Row): OaApproval {
  return {
    requestId: row.request_id,
    spNo: row.sp_no,
    templateId: row.template_id,
    approvers: Array.isArray(row.approvers) ? row.approvers.filter((a): a is string => typeof a === 'string') : [],
    state: row.state,
    lastStatus: row.last_status,
  };
}

/** hil_oa_approvals of schema v9. */
export class SqlOaApprovals implements OaApprovals {
  constructor(private readonly db: Queryable) {}

  async begin(requestId: string, templateId: string, approvers: readonly string[], now: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `INSERT INTO hil_oa_approvals (request_id, template_id, approvers, state, created_at, updated_at)
       VALUES ($1, $2, $3::jsonb, 'filing', ${at(4)}, ${at(4)}) ON CONFLICT (request_id) DO NOTHING`,
      [requestId, templateId, JSON.stringify(approvers), now],
    );
    return rowCount === 1;
  }

  async filed(requestId: string, spNo: string, now: number): Promise<void> {
    await this.db.query(
      `UPDATE hil_oa_approvals SET sp_no = $2, state = 'open', last_status = 1, updated_at = ${at(3)}
        WHERE request_id = $1 AND state = 'filing'`,
      [requestId, spNo, now],
    );
  }

  async failed(requestId: string, now: number): Promise<void> {
    await this.db.query(
      `UPDATE hil_oa_approvals SET state = 'failed', updated_at = ${at(2)} WHERE request_id = $1 AND state = 'filing'`,
      [requestId, now],
    );
  }

  async byRequestId(requestId: string): Promise<OaApproval | undefined> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM hil_oa_approvals WHERE request_id = $1`, [
      requestId,
    ]);
    return rows[0] === undefined ? undefined : fromRow(rows[0]);
  }

  async bySpNo(spNo: string): Promise<OaApproval | undefined> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM hil_oa_approvals WHERE sp_no = $1`, [spNo]);
    return rows[0] === undefined ? undefined : fromRow(rows[0]);
  }

  async claimStatus(spNo: string, status: number, now: number): Promise<boolean> {
    // One UPDATE decides: concurrent callbacks, retries and polls of every instance race on the row lock.
    const { rowCount } = await this.db.query(
      `UPDATE hil_oa_approvals
          SET last_status = $2, state = CASE WHEN $2 = 1 THEN 'open' ELSE 'closed' END, updated_at = ${at(3)}
        WHERE sp_no = $1 AND state = 'open' AND last_status IS DISTINCT FROM $2`,
      [spNo, status, now],
    );
    return rowCount === 1;
  }

  async close(requestId: string, now: number): Promise<void> {
    await this.db.query(
      `UPDATE hil_oa_approvals SET state = 'closed', updated_at = ${at(2)}
        WHERE request_id = $1 AND state IN ('filing', 'open')`,
      [requestId, now],
    );
  }

  async takeForPoll(limit: number, now: number): Promise<OaApproval[]> {
    const { rows } = await this.db.query<Row>(
      `UPDATE hil_oa_approvals SET polled_at = ${at(2)}
        WHERE request_id IN (
          SELECT a.request_id FROM hil_oa_approvals a JOIN hil_requests r ON r.id = a.request_id
           WHERE a.state = 'open' AND r.status IN ('pending', 'inprogress')
           ORDER BY a.polled_at NULLS FIRST LIMIT $1)
        RETURNING ${COLUMNS}`,
      [limit, now],
    );
    return rows.map(fromRow);
  }
}
