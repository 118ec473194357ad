import { isoOf } from '../services/humanloopFormat';
import type { HilRequest, JsonObject } from '../store/hilRequests';

/** The hub's HumanLoopRequestPublic (hil.md §2.9, [HUB `models/models.py`]), as the admin API shows a request. */
export interface PublicRequest {
  readonly id: string;
  readonly task_id: string;
  readonly conversation_id: string;
  readonly request_id: string;
  readonly loop_type: string;
  readonly platform: string;
  readonly status: string;
  readonly context: JsonObject;
  readonly metadata: JsonObject;
  readonly response: JsonObject | null;
  readonly feedback: unknown;
  readonly responded_by: string | null;
  readonly responded_at: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly owner_id: string;
}

/**
 * A request as the admin API shows it. The hub has no columns for how we reach WeCom, so the chat, the
 * delivery state and the `[#short_id]` ride in `metadata`, after the client's own keys (ours win).
 */
export function publicRequest(r: HilRequest): PublicRequest {
  return {
    id: r.id,
    task_id: r.taskId,
    conversation_id: r.conversationId,
    request_id: r.requestId,
    loop_type: r.loopType,
    platform: r.platform,
    status: r.status,
    context: r.context,
    metadata: {
      ...r.metadata,
      delivery: r.delivery,
      target: { bot: r.target.botKey, chattype: r.target.chattype, chatid: r.target.chatid },
      short_id: r.shortId,
    },
    response: r.response,
    feedback: r.feedback ?? null,
    responded_by: r.respondedBy,
    responded_at: isoOf(r.respondedAt),
    created_at: isoOf(r.createdAt),
    updated_at: isoOf(r.updatedAt),
    owner_id: r.owner,
  };
}
