import type { HilRequest, JsonObject, LoopType } from '../store/hilRequests';

/**
 * How an interaction's `event` becomes a request, and a request's answer the `InteractionFeedback.data`
 * the app resumes with (hil.md §5.3 "data shape", a convention of ours — Bridgic leaves both to the app):
 *
 * - approval card (批准 / 拒绝) when `event_type` contains APPROV or CONFIRM (any case), or
 *   `data.answer == "yes_no"`, or `data.kind == "approval"`; everything else asks for a quote reply;
 * - the question shown: `data.prompt`, `data.prompt_to_user` (bridgic-core's own tests), `data.question`,
 *   `data.message`, `data` itself when it is a string, else `data` as JSON;
 * - the answer: an approval gives `{"decision": "approved"|"rejected", "reason": "…"}`, or the plain
 *   string "yes"/"no" when the event asked `data.answer == "yes_no"` (Bridgic's tutorial); an information
 *   request gives the reply's text.
 */

const APPROVAL_TYPE = /APPROV|CONFIRM/i;

function dataObject(data: unknown): JsonObject {
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as JsonObject) : {};
}

export function asksYesNo(event: JsonObject): boolean {
  return dataObject(event['data'])['answer'] === 'yes_no';
}

export function loopTypeOf(event: JsonObject): LoopType {
  const type = event['event_type'];
  const data = dataObject(event['data']);
  const approval =
    (typeof type === 'string' && APPROVAL_TYPE.test(type)) ||
    data['answer'] === 'yes_no' ||
    data['kind'] === 'approval';
  return approval ? 'approval' : 'information';
}

export function questionOfEvent(event: JsonObject): string {
  const data = event['data'];
  const fields = dataObject(data);
  for (const name of ['prompt', 'prompt_to_user', 'question', 'message']) {
    const value = fields[name];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  if (typeof data === 'string') return data;
  return data === undefined || data === null ? '' : JSON.stringify(data);
}

/** The statuses that answer an interaction; the rest (open, expired, cancelled, error) give no feedback. */
export function isAnswered(request: HilRequest): boolean {
  return request.status === 'approved' || request.status === 'rejected' || request.status === 'completed';
}

/** `InteractionFeedback.data` for an answered request (undefined while it is not answered). */
export function feedbackDataOf(request: HilRequest, event: JsonObject): unknown {
  if (!isAnswered(request)) return undefined;
  const response = request.response ?? {};
  switch (request.loopType) {
    case 'approval': {
      const decision = request.status === 'approved' ? 'approved' : 'rejected';
      if (asksYesNo(event)) return decision === 'approved' ? 'yes' : 'no';
      const reason = response['reason'];
      return { decision, reason: typeof reason === 'string' ? reason : '' };
    }
    case 'information':
    case 'conversation': {
      const text = response['information'] ?? response['text'] ?? response['message'];
      return typeof text === 'string' ? text : '';
    }
    default: {
      const exhaustive: never = request.loopType;
      return exhaustive;
    }
  }
}
