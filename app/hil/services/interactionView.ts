import type { HilRequest } from '../store/hilRequests';
import type { InteractionBatch, Snapshot } from '../store/interactionBatches';
import { feedbackDataOf, isAnswered } from './interactionConventions';

/**
 * What the interactions API and its webhook say of a batch (hil.md §5.3): the answers so far as Bridgic's
 * `InteractionFeedback {interaction_id, data, timestamp}`, the interactions still open, and the snapshot.
 */

export type BatchStatus = 'waiting' | 'ready' | 'expired' | 'cancelled';

export interface FeedbackView {
  readonly interaction_id: string;
  readonly data: unknown;
  /** When the person answered, ISO 8601 UTC (pydantic reads it as InteractionFeedback.timestamp). */
  readonly timestamp: string;
}

export interface ItemView {
  readonly interaction_id: string;
  readonly request_id: string;
  readonly short_id: string;
  readonly status: string;
}

export interface SnapshotView {
  readonly serialization_version: string;
  readonly serialized_bytes_b64: string;
}

export interface BatchState {
  readonly status: BatchStatus;
  readonly feedback: FeedbackView[];
  readonly pending: string[];
  readonly items: ItemView[];
  /** The request of the first open interaction: what a long-poll waits on. */
  readonly firstOpenRequest: string | undefined;
}

export interface BatchView {
  readonly batch_id: string;
  readonly status: BatchStatus;
  readonly feedback_data: FeedbackView[];
  readonly pending: string[];
  readonly snapshot: SnapshotView | null;
  readonly items: ItemView[];
  /** A newer batch re-raised one of these interactions: resume from that one (its webhook is the one sent). */
  readonly superseded_by: string | null;
  readonly created_at: string;
  readonly expires_at: string;
}

/**
 * ready: every interaction answered; cancelled: one was cancelled; expired: one expired (or failed), or the
 * batch's time is up; else waiting. `requests` are the batch's, in item order.
 */
export function batchState(batch: InteractionBatch, requests: readonly HilRequest[], now: number): BatchState {
  const byId = new Map(requests.map((r) => [r.id, r]));
  const feedback: FeedbackView[] = [];
  const pending: string[] = [];
  const items: ItemView[] = [];
  let firstOpenRequest: string | undefined;
  let cancelled = false;
  let expired = false;
  for (const item of batch.items) {
    const request = byId.get(item.requestId);
    const status = request?.status ?? 'error';
    items.push({
      interaction_id: item.interactionId,
      request_id: item.requestId,
      short_id: request?.shortId ?? '',
      status,
    });
    if (request !== undefined && isAnswered(request)) {
      const timestamp = new Date(request.respondedAt ?? request.updatedAt).toISOString();
      feedback.push({ interaction_id: item.interactionId, data: feedbackDataOf(request, item.event), timestamp });
      continue;
    }
    pending.push(item.interactionId);
    if (status === 'cancelled') cancelled = true;
    else if (status === 'expired' || status === 'error') expired = true;
    else firstOpenRequest ??= item.requestId;
  }
  const status: BatchStatus =
    pending.length === 0
      ? 'ready'
      : cancelled
        ? 'cancelled'
        : expired || now >= batch.expiresAt
          ? 'expired'
          : 'waiting';
  return { status, feedback, pending, items, firstOpenRequest };
}

export function snapshotView(snapshot: Snapshot | null): SnapshotView | null {
  if (snapshot === null) return null;
  return { serialization_version: snapshot.version, serialized_bytes_b64: snapshot.bytes.toString('base64') };
}

export function batchView(batch: InteractionBatch, state: BatchState, snapshot: Snapshot | null): BatchView {
  return {
    batch_id: batch.id,
    status: state.status,
    feedback_data: state.feedback,
    pending: state.pending,
    snapshot: snapshotView(snapshot),
    items: state.items,
    superseded_by: batch.supersededBy,
    created_at: new Date(batch.createdAt).toISOString(),
    expires_at: new Date(batch.expiresAt).toISOString(),
  };
}
