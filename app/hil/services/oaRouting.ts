import type { Config } from '../../config';
import type { HilRequest, HilTarget, JsonObject, LoopType, NewHilRequest } from '../store/hilRequests';
import { type TargetResult, resolveTarget } from './hilTargets';

/**
 * The "chat" of a request that went to WeCom's 审批 app (issue #16): no bot has this key and no user
 * this id, so the chat capture (quote replies, #id, /pending, cards) never finds or answers it — the
 * approval is answered in WeCom, formally, or by an operator in the admin API.
 */
export const OA_TARGET: HilTarget = Object.freeze({ botKey: '(wecom-oa)', chattype: 'single', chatid: '(wecom-oa)' });

export function isOaRequest(request: Pick<HilRequest, 'target'>): boolean {
  return request.target.botKey === OA_TARGET.botKey;
}

/**
 * Whether a request goes to the 审批 app: `metadata.backend` ("oa" or "chat") when given, else
 * HIL_APPROVAL_BACKEND — except for a request answered by the chat's next message (a hil-mcp session,
 * issue #15), which only a chat can answer. Without a self-built app nothing does (config rejects backend=oa then).
 */
export function routesToOa(config: Config, metadata: JsonObject): boolean {
  if (config.approvals.app === undefined) return false;
  const asked = metadata['backend'];
  if (asked === 'oa' || asked === 'chat') return asked === 'oa';
  if (metadata['capture'] === 'next_message') return false;
  return config.approvals.backend === 'oa';
}

/** The one loop type WeCom's approvals cannot carry (hil.md §3.6). */
export const OA_CONVERSATION_REFUSED =
  'WeCom approvals (backend oa) take approval and information requests only, not conversations';

/**
 * Why a GoHumanLoop request cannot go the way it asks (its answer's `error`), or undefined: a
 * conversation routed to the 审批 app, or `metadata.backend = "oa"` on a gateway without the app.
 */
export function oaRefusal(config: Config, metadata: JsonObject, loopType: LoopType): string | undefined {
  if (metadata['backend'] === 'oa' && config.approvals.app === undefined)
    return 'WeCom approvals (metadata.backend = "oa") are not configured on this gateway';
  return routesToOa(config, metadata) && loopType === 'conversation' ? OA_CONVERSATION_REFUSED : undefined;
}

/**
 * The chat a routed request is also announced in ("已提交审批 <sp_no>"): only one the client named with
 * metadata.userid or metadata.chatid — an approverid is the approval's approver, not a chat to write to.
 */
export function oaChatOf(config: Config, metadata: JsonObject): HilTarget | undefined {
  if (metadata['userid'] === undefined && metadata['chatid'] === undefined) return undefined;
  const found = resolveTarget(config, metadata);
  return found.ok ? found.target : undefined;
}

/** The request as it is stored when it goes to the 审批 app: no chat, no chat approvers. */
export function asOaRequest(input: NewHilRequest): NewHilRequest {
  return { ...input, target: OA_TARGET, approvers: [] };
}

/** Who a GoHumanLoop request routed to the 审批 app is for: the chat it names, if any (no bot is needed). */
export function oaTargetOf(config: Config, metadata: JsonObject): TargetResult {
  return { ok: true, target: oaChatOf(config, metadata) ?? OA_TARGET, approvers: [] };
}

/** Said with a cancel of a routed request: WeCom has no API to revoke an approval filed through applyevent. */
export const OA_CANCEL_NOTE = 'cancelled here only: the WeCom approval itself is not revoked (WeCom offers no way to)';
