import type { HilRequest, JsonObject } from './hilRequests';

/**
 * Bridgic-style interaction batches (hil.md §5.3, issue #15 scope 3): the interactions one
 * InteractionException raised, each a HilRequest, the opaque snapshot to resume from, and the webhook
 * that tells the app when every interaction is answered. Its SQL is sqlInteractionBatches.ts; schema v7.
 */

/**
 * Where the webhook stands: `none` without a callback_url; `pending` until it is sent; `delivered`; `failed`
 * after the last attempt; `superseded` when a newer batch re-raised one of its interactions (the app resumes
 * from the newer snapshot); `abandoned` when it expired or was cancelled before it was ready.
 */
export const BATCH_DELIVERIES = ['none', 'pending', 'delivered', 'failed', 'superseded', 'abandoned'] as const;
export type BatchDelivery = (typeof BATCH_DELIVERIES)[number];

export interface BatchItem {
  readonly interactionId: string;
  /** The HilRequest's uuid. */
  readonly requestId: string;
  /** The interaction's event as posted ({event_type, timestamp, data}). */
  readonly event: JsonObject;
}

export interface Snapshot {
  readonly version: string;
  readonly bytes: Buffer;
}

export interface InteractionBatch {
  readonly id: string;
  /** The API key's name that posted it. */
  readonly owner: string;
  readonly callbackUrl: string | null;
  readonly delivery: BatchDelivery;
  /** The X-Hil-Delivery id: the same on every attempt, so a receiver can drop a repeat. */
  readonly deliveryId: string;
  readonly attempts: number;
  readonly supersededBy: string | null;
  readonly expiresAt: number;
  readonly createdAt: number;
  readonly items: readonly BatchItem[];
}

export interface NewBatch {
  readonly owner: string;
  /** Identifies the set of interaction ids (order aside): a retried POST has the same. */
  readonly fingerprint: string;
  readonly snapshot: Snapshot | null;
  readonly callbackUrl: string | null;
  /** The secret given with the POST; null = the key's configured webhookSecret at delivery. */
  readonly callbackSecret: string | null;
  readonly expiresAt: number;
  readonly items: readonly BatchItem[];
}

/** A delivery this instance claimed: the batch, what it needs to sign, and the claim's token. */
export interface ClaimedDelivery {
  readonly batch: InteractionBatch;
  readonly callbackUrl: string;
  readonly callbackSecret: string | null;
  readonly snapshot: Snapshot | null;
  readonly token: string;
}

export interface InteractionBatches {
  /**
   * Stores the batch, or returns the owner's batch with the same fingerprint (`created: false`). A new
   * batch supersedes the owner's older batches that share one of its requests, and keeps its open
   * requests open at least until its own expiry (a re-raised interaction lives as long as its newest batch).
   */
  create(input: NewBatch, now: number): Promise<{ readonly batch: InteractionBatch; readonly created: boolean }>;
  byFingerprint(owner: string, fingerprint: string): Promise<InteractionBatch | undefined>;
  byId(id: string): Promise<InteractionBatch | undefined>;
  snapshotOf(id: string): Promise<Snapshot | null>;
  /** The batch's requests in item order (one statement, for views and waits). */
  requestsOf(id: string): Promise<HilRequest[]>;
  /**
   * Batches whose webhook may be sent now: pending, not superseded, due, unclaimed, and every request
   * answered; only those holding `requestId` when given.
   */
  dueDeliveries(now: number, limit: number, requestId?: string): Promise<string[]>;
  /** Takes the delivery for `leaseMs` and counts the attempt; undefined when it is not due or someone holds it. */
  claimDelivery(id: string, now: number, leaseMs: number): Promise<ClaimedDelivery | undefined>;
  /** Marks the claimed delivery sent; false when the claim was lost meanwhile. */
  deliveryDone(id: string, token: string, now: number): Promise<boolean>;
  /** Records a failed attempt: tried again at `retryAt`, or `failed` when it is null. */
  deliveryFailed(id: string, token: string, error: string, retryAt: number | null, now: number): Promise<void>;
  /** Pending deliveries that can never be sent (expired, or an interaction expired or cancelled) → abandoned. */
  abandonStale(now: number): Promise<number>;
}
