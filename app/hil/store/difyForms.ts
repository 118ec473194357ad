/**
 * Which Dify Human Input forms still have to be submitted (schema v8, issue #15 scope 4): one row per
 * request made from a form; a conditional claim makes sure one instance submits it, once.
 */
export type DifyFormState = 'waiting' | 'submitting' | 'submitted' | 'expired' | 'failed';

/** How long a claim holds before another instance may take the form again (its instance died). */
export const CLAIM_TTL_MS = 5 * 60 * 1000;

/** Attempts after which a form is given up (each one a submit or a resume that broke off). */
export const MAX_ATTEMPTS = 5;

export interface DifyForms {
  /** Records the form of a new request as waiting; a second call for the same request changes nothing. */
  add(requestId: string, now: number): Promise<void>;
  /** Takes the form for submitting: true for exactly one caller while it waits (or its claim went stale). */
  claim(requestId: string, now: number): Promise<boolean>;
  /** The form's end: submitted (the resumed answer went out or was tried), expired or failed. */
  finish(requestId: string, state: 'submitted' | 'expired' | 'failed', now: number): Promise<void>;
  /** Gives a claimed form back (Dify could not be reached): the sweep tries again. */
  release(requestId: string, now: number): Promise<void>;
  /**
   * Forms to settle that nobody here is settling: their request is closed since before `closedBefore`
   * (answered or expired, possibly on another instance), or their claim went stale.
   */
  unsettled(closedBefore: number, now: number, limit: number): Promise<string[]>;
}
