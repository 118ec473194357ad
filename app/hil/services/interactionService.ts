import { createHash } from 'node:crypto';
import type { Config } from '../../config';
import { type HilRequests, type HilTarget, type JsonObject, OPEN_STATUSES } from '../store/hilRequests';
import type { BatchItem, InteractionBatch, InteractionBatches, Snapshot } from '../store/interactionBatches';
import type { HilAsk } from './hilAsk';
import type { KnownChats } from './hilChats';
import { loopTypeOf, questionOfEvent } from './interactionConventions';
import { type Interaction, type InteractionsBody, MAX_SNAPSHOT_BYTES } from './interactionFormat';
import { resolveInteractionTarget } from './interactionTargets';
import { type BatchView, batchState, batchView } from './interactionView';
import { type RequestSignals, waitForRequest } from './requestSignals';
import { checkCallbackUrl } from './webhookPost';

/** Every interaction is a request of this platform and conversation, so its id alone names it per key. */
export const BRIDGIC_PLATFORM = 'bridgic';

export type SubmitResult =
  | {
      readonly kind: 'ok';
      readonly created: boolean;
      readonly answer: { readonly batch_id: string; readonly items: readonly SubmittedItem[] };
    }
  | { readonly kind: 'refused'; readonly status: 400 | 413; readonly error: string };

interface SubmittedItem {
  readonly interaction_id: string;
  readonly request_id: string;
  readonly short_id: string;
}

export interface InteractionServiceDeps {
  readonly config: Config;
  readonly requests: HilRequests;
  readonly batches: InteractionBatches;
  readonly ask: HilAsk;
  readonly chats: KnownChats;
  readonly signals: RequestSignals;
  readonly now: () => number;
}

/** How often a long-poll reads the whole batch while it waits on its first open interaction. */
const LOOK_AGAIN_MS = 5000;
const isOpen = (r: { readonly status: string }): boolean => (OPEN_STATUSES as readonly string[]).includes(r.status);

const refused = (status: 400 | 413, error: string): SubmitResult => ({ kind: 'refused', status, error });

/**
 * Pause → persist → resume (hil.md §5.2 mechanism 3, §5.3): a batch of interactions becomes requests asked
 * in WeCom, idempotently — each by its interaction_id (Bridgic re-raises an unanswered interaction with
 * the same id, a new timestamp and a new snapshot: same request, no second message), the batch by the set
 * of ids (a retried POST gets the same batch) — and the app reads the answers, waits for them, or is
 * called back (batchWebhooks).
 */
export class InteractionService {
  constructor(private readonly deps: InteractionServiceDeps) {}

  async submit(owner: string, body: InteractionsBody): Promise<SubmitResult> {
    const ids = body.interactions.map((i) => i.interaction_id);
    if (new Set(ids).size !== ids.length) return refused(400, 'interaction_id must be unique within a batch');
    const callback = this.callbackOf(owner, body);
    if (typeof callback === 'string') return refused(400, callback);
    const snapshot = snapshotOf(body);
    if (snapshot !== null && snapshot.bytes.length > MAX_SNAPSHOT_BYTES)
      return refused(413, `snapshot exceeds ${MAX_SNAPSHOT_BYTES} bytes`);
    const fingerprint = fingerprintOf(ids);
    const known = await this.deps.batches.byFingerprint(owner, fingerprint);
    if (known !== undefined) return this.submitted(known, false);
    const found = await resolveInteractionTarget(this.deps, owner, body.target);
    if (!found.ok) return refused(400, found.error);
    const expiresAt = this.deps.now() + (body.expires_in ?? this.deps.config.hil.requestTtlMs / 1000) * 1000;
    const items: BatchItem[] = [];
    // One after the other: the chat shows the questions in the order the app raised them.
    for (const interaction of body.interactions)
      items.push(await this.askOne(owner, interaction, found.target, found.approvers, expiresAt));
    const { batch, created } = await this.deps.batches.create(
      { owner, fingerprint, snapshot, ...callback, expiresAt, items },
      this.deps.now(),
    );
    return this.submitted(batch, created);
  }

  /** The batch as its owner sees it, or undefined (unknown, or another key's). */
  async view(owner: string, batchId: string): Promise<BatchView | undefined> {
    const batch = await this.deps.batches.byId(batchId);
    if (batch === undefined || batch.owner !== owner) return undefined;
    return this.render(batch);
  }

  /**
   * The batch once it is no longer waiting (ready, expired, cancelled), or as it is after `timeoutMs`:
   * wakes on a change made here at once and on one made by another instance within a second.
   */
  async wait(owner: string, batchId: string, timeoutMs: number, signal?: AbortSignal): Promise<BatchView | undefined> {
    const { batches, now } = this.deps;
    const batch = await batches.byId(batchId);
    if (batch === undefined || batch.owner !== owner) return undefined;
    const until = Math.min(now() + timeoutMs, batch.expiresAt);
    for (;;) {
      const state = batchState(batch, await batches.requestsOf(batch.id), now());
      const open = state.firstOpenRequest;
      if (state.status !== 'waiting' || open === undefined || now() >= until || signal?.aborted === true) break;
      // Ready needs this one answered too; another one cancelled or expired is seen at the next look.
      const look = Math.min(until, now() + LOOK_AGAIN_MS);
      await waitForRequest(this.deps, open, (r) => !isOpen(r), { until: look, ...(signal ? { signal } : {}) });
    }
    return this.render((await batches.byId(batch.id)) ?? batch);
  }

  private async render(batch: InteractionBatch): Promise<BatchView> {
    const { batches, now } = this.deps;
    const state = batchState(batch, await batches.requestsOf(batch.id), now());
    return batchView(batch, state, await batches.snapshotOf(batch.id));
  }

  private async askOne(
    owner: string,
    interaction: Interaction,
    target: HilTarget,
    approvers: string[],
    expiresAt: number,
  ): Promise<BatchItem> {
    const event = eventOf(interaction);
    const eventType = typeof event['event_type'] === 'string' && event['event_type'] !== '' ? event['event_type'] : '';
    const { request } = await this.deps.ask.ask({
      owner,
      platform: BRIDGIC_PLATFORM,
      conversationId: BRIDGIC_PLATFORM,
      requestId: interaction.interaction_id,
      taskId: eventType === '' ? 'interaction' : eventType,
      loopType: loopTypeOf(event),
      context: { question: questionOfEvent(event) },
      metadata: { interaction_id: interaction.interaction_id, event_type: eventType },
      target,
      approvers,
      delivery: 'queued',
      cardTaskId: null,
      expiresAt,
    });
    return { interactionId: interaction.interaction_id, requestId: request.id, event };
  }

  /** The webhook's URL and secret, or why they are refused. */
  private callbackOf(
    owner: string,
    body: InteractionsBody,
  ): { callbackUrl: string | null; callbackSecret: string | null } | string {
    const raw = body.callback_url ?? null;
    if (raw === null) return { callbackUrl: null, callbackSecret: null };
    const checked = checkCallbackUrl(raw, this.deps.config.hil.callbackAllowPrivateNetworks);
    if (!checked.ok) return checked.error;
    const secret = body.callback_secret ?? null;
    // Without a secret the receiver could not tell our call from anyone's.
    if (secret === null && this.deps.config.hil.keySettings.get(owner)?.webhookSecret === undefined)
      return 'callback_secret is required: this API key has no webhookSecret';
    return { callbackUrl: checked.url.href, callbackSecret: secret };
  }

  private async submitted(batch: InteractionBatch, created: boolean): Promise<SubmitResult> {
    const shortIds = new Map((await this.deps.batches.requestsOf(batch.id)).map((r) => [r.id, r.shortId]));
    const items = batch.items.map((item) => ({
      interaction_id: item.interactionId,
      request_id: item.requestId,
      short_id: shortIds.get(item.requestId) ?? '',
    }));
    return { kind: 'ok', created, answer: { batch_id: batch.id, items } };
  }
}

function eventOf(interaction: Interaction): JsonObject {
  const { event_type, timestamp, data } = interaction.event;
  return { event_type: event_type ?? null, timestamp: timestamp ?? null, data: data ?? null };
}

function snapshotOf(body: InteractionsBody): Snapshot | null {
  const snapshot = body.snapshot;
  if (snapshot === undefined || snapshot === null) return null;
  return { version: snapshot.serialization_version, bytes: Buffer.from(snapshot.serialized_bytes_b64, 'base64') };
}

/** The set of ids, order aside: the same interactions posted again are the same batch. */
function fingerprintOf(ids: readonly string[]): string {
  return createHash('sha256')
    .update(JSON.stringify([...ids].sort()))
    .digest('hex');
}
