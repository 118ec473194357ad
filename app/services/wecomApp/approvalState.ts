/**
 * An approval (审批单) as WeCom reports it, the same whether it came in a `sys_approval_change` callback
 * (XML, callbackFormat.ts) or from /cgi-bin/oa/getapprovaldetail (JSON, apiFormat.ts): hil.md §3.4 item 4.
 */
export interface ApprovalState {
  readonly spNo: string;
  /** 1 审批中, 2 已通过, 3 已驳回, 4 已撤销, 6 通过后撤销, 7 已删除, 10 已支付. */
  readonly spStatus: number;
  /** The approval steps in order, each with its approvers' decisions. */
  readonly records: readonly ApprovalRecord[];
  /** 备注 (comments) in the order WeCom lists them (oldest first). */
  readonly comments: readonly ApprovalComment[];
}

export interface ApprovalRecord {
  readonly spStatus: number;
  readonly details: readonly ApprovalDetail[];
}

export interface ApprovalDetail {
  readonly userid: string;
  /** The approver's 审批意见; empty when none was given. */
  readonly speech: string;
  /** 1 审批中, 2 已同意, 3 已驳回, 4 已转审. */
  readonly spStatus: number;
  /** Seconds since epoch; 0 while undecided. */
  readonly time: number;
}

export interface ApprovalComment {
  readonly userid: string;
  readonly text: string;
  readonly time: number;
}
