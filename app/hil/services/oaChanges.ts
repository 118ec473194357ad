import type { Logger } from 'pino';
import type { ApprovalState } from '../../services/wecomApp/approvalState';
import { OPEN_STATUSES, type HilRequests } from '../store/hilRequests';
import type { OaApprovals } from '../store/oaApprovals';
import { outcomeOf } from './oaOutcome';

/** What one report of an approval came to; logged with its sp_no, so a change applied twice would show. */
export type OaChangeOutcome = 'applied' | 'pending' | 'duplicate' | 'unknown' | 'closed';

/**
 * Applies what WeCom says of an approval — a `sys_approval_change` callback or the healing poll's
 * getapprovaldetail, the same way (hil.md §3.4 item 4) — to its request, once: a status already seen
 * for that sp_no is a duplicate (WeCom retries a callback it thinks failed, the poll may read what a
 * callback brought), and the request's own change is conditional on it being open.
 */
export class OaChanges {
  constructor(
    private readonly deps: {
      readonly requests: HilRequests;
      readonly approvals: OaApprovals;
      readonly logger: Logger;
      readonly now: () => number;
    },
  ) {}

  async apply(state: ApprovalState, via: 'callback' | 'poll'): Promise<OaChangeOutcome> {
    const outcome = await this.applied(state);
    this.deps.logger.info({ spNo: state.spNo, spStatus: state.spStatus, via, outcome }, 'WeCom approval change');
    return outcome;
  }

  private async applied(state: ApprovalState): Promise<OaChangeOutcome> {
    const { requests, approvals, now } = this.deps;
    const approval = await approvals.bySpNo(state.spNo);
    // Unknown: another app's approval, or one whose applyevent answer is not stored yet (the poll heals it).
    if (approval === undefined) return 'unknown';
    if (approval.state !== 'open' || approval.lastStatus === state.spStatus) return 'duplicate';
    const request = await requests.byId(approval.requestId);
    if (request === undefined) return 'unknown';
    const answer = outcomeOf(request, state, now());
    if (!OPEN_STATUSES.includes(request.status)) {
      await approvals.close(approval.requestId, now());
      // Answered by this very change (a concurrent copy of it was first), or closed here before it came.
      return request.status === answer?.status ? 'duplicate' : 'closed';
    }
    if (answer === undefined) {
      await approvals.claimStatus(state.spNo, state.spStatus, now());
      return 'pending';
    }
    const updated = await requests.answer(request.id, answer);
    await approvals.claimStatus(state.spNo, state.spStatus, now());
    return updated !== undefined ? 'applied' : 'duplicate';
  }
}
