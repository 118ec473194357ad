/**
 * What a user may start now (issue #6 scope 4): messages per minute and turns running at once. On a
 * shared PostgreSQL they are counted in the store, so several instances enforce one limit per user
 * (issue #14 scope 5); a single process counts in memory.
 */
export interface AdmissionLimits {
  /** Admitted messages per sliding minute; 0 means no limit. */
  readonly perMinute: number;
  /** Turns of the user running at once (at least 1). */
  readonly concurrent: number;
  /** A running turn older than this is not counted: it has ended, even if its instance died first. */
  readonly runningExpiryMs: number;
}

export type AdmissionTake = 'admitted' | 'too_many_running' | 'rate_limited';

export interface AdmissionCounts {
  /**
   * Admits a message if fewer than `concurrent` turns of the user run and fewer than `perMinute` of
   * its messages were admitted in the minute before `nowMs`. The cap is checked first; a refused
   * message counts for nothing. An admitted one counts at once, and so does `turnId` (when given) as
   * running, until `leave`: check and take are one step, so two instances cannot both take the last slot.
   */
  take(userKey: string, turnId: string | undefined, nowMs: number, limits: AdmissionLimits): Promise<AdmissionTake>;
  /** The turn ended (or never started): it no longer counts as running. */
  leave(userKey: string, turnId: string): Promise<void>;
  /** Drops every running turn of this instance: at start (a reused INSTANCE_ID) and after shutdown. */
  forgetInstance(): Promise<void>;
}
