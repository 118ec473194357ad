/**
 * The formal WeCom approvals (审批) filed for requests (issue #16, hil.md §3.4): the interface the OA
 * services use. Its SQL is sqlOaApprovals.ts; the table is schema v9.
 */

export type OaState = 'filing' | 'open' | 'closed' | 'failed';

export interface OaApproval {
  /** hil_requests.id. */
  readonly requestId: string;
  /** WeCom's 审批单号, once applyevent answered. */
  readonly spNo: string | null;
  readonly templateId: string;
  readonly approvers: readonly string[];
  readonly state: OaState;
  /** The last SpStatus applied (1 审批中 after filing). */
  readonly lastStatus: number | null;
}

export interface OaApprovals {
  /** Records that the request is being filed; false when it already was (a second instance, a retry). */
  begin(requestId: string, templateId: string, approvers: readonly string[], now: number): Promise<boolean>;
  /** applyevent answered: the approval waits for its approver. */
  filed(requestId: string, spNo: string, now: number): Promise<void>;
  failed(requestId: string, now: number): Promise<void>;
  byRequestId(requestId: string): Promise<OaApproval | undefined>;
  bySpNo(spNo: string): Promise<OaApproval | undefined>;
  /**
   * Takes SpStatus `status` for the approval once: true for the one caller that moved it there (a
   * callback, its retry, the poll and other instances race for it), false when it was seen already or
   * the approval is no longer open. A status other than 1 closes it.
   */
  claimStatus(spNo: string, status: number, now: number): Promise<boolean>;
  /** The request closed here (cancelled, expired, answered): its approval is not polled any more. */
  close(requestId: string, now: number): Promise<void>;
  /** Open approvals of open requests, least recently polled first, marked as polled now. */
  takeForPoll(limit: number, now: number): Promise<OaApproval[]>;
}
