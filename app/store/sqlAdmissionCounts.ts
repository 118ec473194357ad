import type { AdmissionCounts, AdmissionLimits, AdmissionTake } from './admissionCounts';
import type { Database } from './database';

const TURN_ENTRY = 'jsonb_build_object($3::text, jsonb_build_array($4::text, $2::bigint))';

/**
 * Counts are soft state: a PostgreSQL crash may lose the last fraction of a second of them, which is
 * harmless, so their statements commit without waiting for the WAL flush (synchronous_commit=off for
 * this statement's own transaction only). The first message then waits for one fsync (its claim), not two.
 */
const NO_FLUSH_WAIT = "(SELECT set_config('synchronous_commit', 'off', true)) AS no_flush_wait";

/**
 * One statement, one round trip. The user's row is created, or locked and decided on its newest
 * version (ON CONFLICT DO UPDATE re-reads a row another instance changed meanwhile), so the check and
 * the take cannot interleave with another instance's. `w` is the row without expired times and
 * running entries, `o` the two checks; the verdict is written with the row so RETURNING can tell it.
 * $1 user, $2 now (ms), $3 turn or NULL, $4 instance, $5 concurrent, $6 per minute (0: none),
 * $7 running expiry (ms).
 */
const TAKE = `
INSERT INTO user_admission AS a (user_key, sent_ms, running, verdict)
SELECT $1,
       CASE WHEN $6::int > 0 THEN ARRAY[$2::bigint] ELSE '{}'::bigint[] END,
       CASE WHEN $3::text IS NULL THEN '{}'::jsonb ELSE ${TURN_ENTRY} END,
       'admitted'
  FROM ${NO_FLUSH_WAIT}
ON CONFLICT (user_key) DO UPDATE SET (sent_ms, running, verdict, updated_at) = (
  SELECT CASE WHEN o.room AND o.rate AND $6::int > 0 THEN w.sent || $2::bigint ELSE w.sent END,
         CASE WHEN o.room AND o.rate AND $3::text IS NOT NULL THEN w.live || ${TURN_ENTRY} ELSE w.live END,
         CASE WHEN NOT o.room THEN 'too_many_running' WHEN NOT o.rate THEN 'rate_limited' ELSE 'admitted' END,
         now()
    FROM (SELECT ARRAY(SELECT t FROM unnest(a.sent_ms) AS t WHERE t > $2::bigint - 60000 ORDER BY t) AS sent,
                 COALESCE((SELECT jsonb_object_agg(e.key, e.value) FROM jsonb_each(a.running) AS e
                            WHERE (e.value ->> 1)::bigint > $2::bigint - $7::bigint), '{}'::jsonb) AS live) AS w,
         LATERAL (SELECT (SELECT count(*) FROM jsonb_object_keys(w.live)) < $5::int AS room,
                         ($6::int = 0 OR cardinality(w.sent) < $6::int) AS rate) AS o)
RETURNING a.verdict`;

/** The per-user counts in the store's user_admission table (schema v5), shared by every instance. */
export class SqlAdmissionCounts implements AdmissionCounts {
  constructor(
    private readonly db: Database,
    private readonly instanceId: string,
  ) {}

  async take(
    userKey: string,
    turnId: string | undefined,
    nowMs: number,
    limits: AdmissionLimits,
  ): Promise<AdmissionTake> {
    const { rows } = await this.db.query<{ verdict: AdmissionTake }>(TAKE, [
      userKey,
      nowMs,
      turnId ?? null,
      this.instanceId,
      limits.concurrent,
      limits.perMinute,
      limits.runningExpiryMs,
    ]);
    const verdict = rows[0]?.verdict;
    if (verdict === undefined) throw new Error('user_admission returned no row');
    return verdict;
  }

  async leave(userKey: string, turnId: string): Promise<void> {
    await this.db.query(
      `UPDATE user_admission SET running = running - $2::text, updated_at = now()
         FROM ${NO_FLUSH_WAIT} WHERE user_key = $1 AND running ? $2::text`,
      [userKey, turnId],
    );
  }

  async forgetInstance(): Promise<void> {
    await this.db.query(
      `UPDATE user_admission AS a
          SET running = COALESCE((SELECT jsonb_object_agg(e.key, e.value) FROM jsonb_each(a.running) AS e
                                   WHERE e.value ->> 0 <> $1), '{}'::jsonb),
              updated_at = now()
        WHERE EXISTS (SELECT 1 FROM jsonb_each(a.running) AS e WHERE e.value ->> 0 = $1)`,
      [this.instanceId],
    );
  }
}
