import type { Logger } from 'pino';
import { errorFields } from '../../logger';
import type { WecomAppClient } from '../../services/wecomApp/wecomAppClient';
import type { OaApprovals } from '../store/oaApprovals';
import type { OaChanges } from './oaChanges';

/** Approvals read back per round: getapprovaldetail allows 600 calls a minute (WeCom doc 91983). */
const BATCH = 100;

/**
 * Every WECOM_APPROVAL_POLL_SECONDS, reads the open approvals back from WeCom and applies what they say
 * like a callback (oaChanges.ts): a callback WeCom never delivered, or one lost while this gateway was
 * down, heals within one round (issue #16 scope 5). Rounds never overlap.
 */
export class OaHealing {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly deps: {
      readonly approvals: OaApprovals;
      readonly client: WecomAppClient;
      readonly changes: OaChanges;
      readonly logger: Logger;
      readonly pollMs: number;
      readonly now: () => number;
    },
  ) {}

  /** A first round at once (callbacks that came while no instance was up), then every interval. */
  start(): void {
    const tick = (): void => {
      this.running ??= this.round().finally(() => {
        this.running = undefined;
      });
    };
    tick();
    this.timer = setInterval(tick, this.deps.pollMs);
    this.timer.unref();
  }

  /** Stops the timer; a round under way finishes on its own (each of its steps is conditional). */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }

  /** One round: every open approval read back once. */
  private async round(): Promise<void> {
    const { approvals, client, changes, logger, now } = this.deps;
    try {
      const open = await approvals.takeForPoll(BATCH, now());
      for (const approval of open) {
        if (approval.spNo === null) continue;
        try {
          await changes.apply(await client.approvalDetail(approval.spNo), 'poll');
        } catch (err) {
          logger.warn({ spNo: approval.spNo, err: errorFields(err) }, 'WeCom approval could not be read back');
        }
      }
    } catch (err) {
      logger.error({ err: errorFields(err) }, 'WeCom approval poll failed');
    }
  }
}
