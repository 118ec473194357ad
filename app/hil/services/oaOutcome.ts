import type { ApprovalDetail, ApprovalState } from '../../services/wecomApp/approvalState';
import type { HilAnswer, HilRequest, JsonObject } from '../store/hilRequests';

/** The channel named in `response`, beside the chat's `wecom` (hilAnswers.ts). */
export const OA_CHANNEL = 'wecom_oa';

/** WeCom's SpStatus values (WeCom doc 91983 获取审批申请详情: sp_status). */
const PENDING = 1;
const APPROVED = 2;
const REJECTED = 3;
const CANCELLED = 4;

/**
 * What an approval's SpStatus means for its request (hil.md §3.4 item 4, gohumanloop-wework's mapping):
 * 1 → still pending (undefined: nothing to apply), 2 → approved (information: completed), 3 → rejected,
 * 4 → cancelled, anything else (6 通过后撤销, 7 已删除, 10 已支付, …) → error. `response` has the
 * shapes the chat's answers have (hilAnswers.ts): `decision`/`reason` for approvals, `information` for
 * information requests, with the approver's userid, the speech (审批意见) and the last comment (备注).
 * `reason`/`information` is the speech, else the last comment; `feedback` is the last comment.
 */
export function outcomeOf(request: HilRequest, state: ApprovalState, now: number): HilAnswer | undefined {
  if (state.spStatus === PENDING) return undefined;
  const decider = deciderOf(state);
  const comment = state.comments[state.comments.length - 1];
  const speech = decider?.speech ?? '';
  const text = speech !== '' ? speech : (comment?.text ?? '');
  const base: JsonObject = {
    text,
    speech,
    comment: comment?.text ?? null,
    userid: decider?.userid ?? null,
    channel: OA_CHANNEL,
    sp_no: state.spNo,
  };
  const answer = (status: HilAnswer['status'], response: JsonObject): HilAnswer => ({
    status,
    response,
    feedback: comment?.text ?? null,
    respondedBy: decider?.userid ?? null,
    respondedAt: decider !== undefined && decider.time > 0 ? decider.time * 1000 : now,
  });
  switch (state.spStatus) {
    case APPROVED:
      return request.loopType === 'information'
        ? answer('completed', { information: text, ...base })
        : answer('approved', { decision: 'approved', reason: text, ...base });
    case REJECTED:
      return answer('rejected', { decision: 'rejected', reason: text, ...base });
    case CANCELLED:
      return { ...answer('cancelled', { cancelled_in: 'wecom', sp_no: state.spNo }), respondedBy: null };
    default:
      return answer('error', { error: `the WeCom approval ended with status ${state.spStatus}`, ...base });
  }
}

/**
 * Who decided: the last approver whose own status is the approval's (2 同意 / 3 驳回), else the last
 * step's first approver (what gohumanloop-wework reads).
 */
function deciderOf(state: ApprovalState): ApprovalDetail | undefined {
  if (state.spStatus !== APPROVED && state.spStatus !== REJECTED) return undefined;
  const details = state.records.flatMap((r) => r.details);
  const decisive = details.filter((d) => d.spStatus === state.spStatus && d.userid !== '');
  if (decisive.length > 0) return decisive[decisive.length - 1];
  return state.records[state.records.length - 1]?.details[0];
}
