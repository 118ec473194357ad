import type { Queryable } from '../../store/database';
import {
  HIL_STATUSES,
  LOOP_TYPES,
  type HilListFilter,
  type HilStats,
  type HilStatus,
  type LoopType,
} from './hilRequests';
import { REQUEST_COLUMNS, type RequestRow } from './hilRows';

/** The admin API's views over hil_requests (hil.md §2.9): a filtered page, and counts. */

/** One page of the filtered rows, newest first, with the number of all filtered rows. */
export async function listRequests(
  db: Queryable,
  filter: HilListFilter,
): Promise<{ readonly rows: RequestRow[]; readonly count: number }> {
  const where = listWhere(filter);
  const n = where.params.length;
  const [page, counted] = await Promise.all([
    db.query<RequestRow>(
      `SELECT ${REQUEST_COLUMNS} FROM hil_requests ${where.sql}
        ORDER BY created_at DESC, id DESC OFFSET $${n + 1} LIMIT $${n + 2}`,
      [...where.params, filter.skip, filter.limit],
    ),
    db.query<{ count: number }>(`SELECT count(*)::int AS count FROM hil_requests ${where.sql}`, where.params),
  ]);
  return { rows: page.rows, count: counted.rows[0]?.count ?? 0 };
}

/** Counts by status (all 8), loop type (all 3) and the platforms present. */
export async function requestStats(db: Queryable, owner?: string): Promise<HilStats> {
  const { rows } = await db.query<{ status: HilStatus; loop_type: LoopType; platform: string; n: number }>(
    `SELECT status, loop_type, platform, count(*)::int AS n FROM hil_requests
      WHERE $1::text IS NULL OR owner = $1 GROUP BY status, loop_type, platform`,
    [owner ?? null],
  );
  const byStatus = Object.fromEntries(HIL_STATUSES.map((s) => [s, 0])) as Record<HilStatus, number>;
  const byType = Object.fromEntries(LOOP_TYPES.map((t) => [t, 0])) as Record<LoopType, number>;
  const byPlatform: Record<string, number> = {};
  let total = 0;
  for (const row of rows) {
    byStatus[row.status] += row.n;
    byType[row.loop_type] += row.n;
    byPlatform[row.platform] = (byPlatform[row.platform] ?? 0) + row.n;
    total += row.n;
  }
  return { byStatus, byType, byPlatform, total };
}

/** The WHERE of list(): only the filters given, each as one numbered parameter. */
function listWhere(filter: HilListFilter): { readonly sql: string; readonly params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (value: unknown, clause: (param: string) => string): void => {
    params.push(value);
    clauses.push(clause(`$${params.length}`));
  };
  if (filter.owner !== undefined) add(filter.owner, (p) => `owner = ${p}`);
  if (filter.loopType !== undefined) add(filter.loopType, (p) => `loop_type = ${p}`);
  if (filter.status !== undefined) add(filter.status, (p) => `status = ${p}`);
  if (filter.platform !== undefined) add(filter.platform, (p) => `platform = ${p}`);
  if (filter.botKey !== undefined) add(filter.botKey, (p) => `bot_key = ${p}`);
  if (filter.createdFrom !== undefined) {
    add(filter.createdFrom, (p) => `created_at >= to_timestamp(${p}::double precision / 1000)`);
  }
  if (filter.createdBefore !== undefined) {
    add(filter.createdBefore, (p) => `created_at < to_timestamp(${p}::double precision / 1000)`);
  }
  return { sql: clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`, params };
}
