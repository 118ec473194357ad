import { createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../../config';
import { errorFields } from '../../logger';
import type { HilRequest } from '../store/hilRequests';
import type { ClaimedDelivery, InteractionBatches } from '../store/interactionBatches';
import { isAnswered } from './interactionConventions';
import { batchState, snapshotView } from './interactionView';
import type { RequestSignals } from './requestSignals';
import { type WebhookPost, type WebhookResult, postWebhook } from './webhookPost';

/** How long a claimed delivery is this instance's: far above the POST's timeout, so a live sender keeps it. */
const LEASE_MS = 120_000;
const POST_TIMEOUT_MS = 15_000;
/** Ready batches this instance did not see become ready (answered elsewhere, before a restart) are found this often. */
const SWEEP_MS = 3000;
const SWEEP_BATCHES = 20;
export const WEBHOOK_EVENT = 'interactions.ready';

export interface BatchWebhooksDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly batches: InteractionBatches;
  readonly signals: RequestSignals;
  readonly now: () => number;
  /** The platform of the requests that belong to batches: only their answers can make one ready. */
  readonly platform: string;
  readonly post?: (post: WebhookPost) => Promise<WebhookResult>;
}

/** `X-Hub-Signature-256` as GitHub writes it: the hex HMAC-SHA256 of the exact body. */
export function signatureOf(secret: string, body: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * The interaction webhook (issue #15 scope 3, hil.md §5.3 "resume"): when every interaction of a batch is
 * answered, one POST `{batch_id, status: "ready", feedback_data, snapshot}` to its callback_url, signed.
 * Woken by an answer made in this process (RequestSignals) and by a sweep every few seconds, which finds
 * batches made ready on another instance or before a restart. One instance sends a delivery: it is claimed
 * with a conditional UPDATE for a lease; a failed attempt (network error, non-2xx) is tried again after
 * HIL_CALLBACK_RETRY_DELAYS_MS, state kept in the store so a restart continues. A sender that dies after
 * the receiver's 2xx but before it recorded it sends again after the lease: X-Hil-Delivery stays the same.
 */
export class BatchWebhooks {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly stopping = new AbortController();
  private unsubscribe: (() => void) | undefined;
  private sweeping = false;

  constructor(private readonly deps: BatchWebhooksDeps) {}

  start(): void {
    this.unsubscribe = this.deps.signals.onChange((request) => this.changed(request));
    const sweep = setInterval(() => void this.sweep(), SWEEP_MS);
    sweep.unref();
    this.timers.add(sweep);
    void this.sweep();
  }

  stop(): void {
    this.unsubscribe?.();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.stopping.abort();
  }

  private changed(request: HilRequest): void {
    if (request.platform !== this.deps.platform || !isAnswered(request) || this.stopping.signal.aborted) return;
    void this.deliverDue(request.id).catch((err: unknown) => this.failed(err));
  }

  /** Batches that can no longer become ready stop being looked at, then every due delivery is sent. */
  async sweep(): Promise<void> {
    if (this.sweeping || this.stopping.signal.aborted) return;
    this.sweeping = true;
    try {
      await this.deps.batches.abandonStale(this.deps.now());
      await this.deliverDue();
    } catch (err) {
      this.failed(err);
    } finally {
      this.sweeping = false;
    }
  }

  private async deliverDue(requestId?: string): Promise<void> {
    const due = await this.deps.batches.dueDeliveries(this.deps.now(), SWEEP_BATCHES, requestId);
    for (const id of due) if (!this.stopping.signal.aborted) await this.deliver(id);
  }

  private async deliver(id: string): Promise<void> {
    const { batches, config, logger, now } = this.deps;
    const claimed = await batches.claimDelivery(id, now(), LEASE_MS);
    if (claimed === undefined) return;
    const { batch, token } = claimed;
    const secret = claimed.callbackSecret ?? config.hil.keySettings.get(batch.owner)?.webhookSecret;
    if (secret === undefined) {
      logger.warn({ batch: id }, 'interaction webhook has no secret (key without webhookSecret): given up');
      return batches.deliveryFailed(id, token, 'no webhook secret', null, now());
    }
    const body = Buffer.from(JSON.stringify(await this.payload(claimed)), 'utf8');
    const result = await (this.deps.post ?? postWebhook)({
      url: claimed.callbackUrl,
      body,
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'wecom-dify-gateway',
        'X-Hub-Signature-256': signatureOf(secret, body),
        'X-Hil-Delivery': batch.deliveryId,
        'X-Hil-Event': WEBHOOK_EVENT,
      },
      allowPrivateNetworks: config.hil.callbackAllowPrivateNetworks,
      timeoutMs: POST_TIMEOUT_MS,
      signal: this.stopping.signal,
    });
    const attempt = batch.attempts;
    if (result.ok) {
      await batches.deliveryDone(id, token, now());
      logger.info({ batch: id, attempt, status: result.status }, 'interaction webhook delivered');
      return;
    }
    const delays = config.hil.callbackRetryDelaysMs;
    const delay = attempt <= delays.length ? delays[attempt - 1] : undefined;
    const retryAt = delay === undefined ? null : now() + delay;
    await batches.deliveryFailed(id, token, result.error, retryAt, now());
    logger.warn({ batch: id, attempt, error: result.error, retryInMs: delay ?? null }, 'interaction webhook failed');
    if (delay !== undefined && !this.stopping.signal.aborted) this.later(delay);
  }

  /** The body: the answers as InteractionFeedback and the snapshot to resume from. */
  private async payload(claimed: ClaimedDelivery): Promise<Record<string, unknown>> {
    const requests = await this.deps.batches.requestsOf(claimed.batch.id);
    const state = batchState(claimed.batch, requests, this.deps.now());
    return {
      batch_id: claimed.batch.id,
      status: 'ready',
      feedback_data: state.feedback,
      snapshot: snapshotView(claimed.snapshot),
    };
  }

  /** A retry soon after its time, without waiting for the next sweep. */
  private later(ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.sweep();
    }, ms + 10);
    timer.unref();
    this.timers.add(timer);
  }

  private failed(err: unknown): void {
    if (this.stopping.signal.aborted) return;
    this.deps.logger.error({ err: errorFields(err) }, 'interaction webhooks failed');
  }
}
