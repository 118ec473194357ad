import { z } from 'zod';
import { type HilRequest, LOOP_TYPES } from '../store/hilRequests';

/**
 * GoHumanLoop's wire format (hil.md §2.3, models in gohumanloop/models/api_model.py): the one parser
 * of what its APIProvider sends, and the status answer its pydantic model reads (§2.4).
 */

const id = z.string().min(1).max(256);
const object = z.record(z.string(), z.unknown());

export const RequestBodySchema = z.object({
  task_id: z.string().max(256).default(''),
  conversation_id: id,
  request_id: id,
  loop_type: z.enum(LOOP_TYPES),
  context: object.default({}),
  platform: id,
  metadata: object.nullish().transform((m) => m ?? {}),
});
export type RequestBody = z.infer<typeof RequestBodySchema>;

/** `continue` has no loop_type: it is a new turn of a conversation (§2.3). */
export const ContinueBodySchema = RequestBodySchema.omit({ loop_type: true });
export type ContinueBody = z.infer<typeof ContinueBodySchema>;

export const CancelBodySchema = z.object({ conversation_id: id, request_id: id, platform: id });
export type CancelBody = z.infer<typeof CancelBodySchema>;

export const CancelConversationBodySchema = z.object({ conversation_id: id, platform: id });
export type CancelConversationBody = z.infer<typeof CancelConversationBodySchema>;

/** GET /status has its ids in the query (§2.3). */
export const StatusQuerySchema = CancelBodySchema;
export type StatusQuery = z.infer<typeof StatusQuerySchema>;

/** `tasks/sync` is the manager's whole task document (§2.7); only task_id is read. */
export const TaskSyncSchema = z.looseObject({ task_id: id });

/** A field list for an error answer: the names only, never the values (they may carry a person's text). */
export function fieldsOf(error: z.ZodError): string {
  const paths = error.issues.map((i) => (i.path.length > 0 ? i.path.map(String).join('.') : 'body'));
  return [...new Set(paths)].join(', ');
}

/** ms since epoch as ISO-8601 with `Z` (GoHumanLoop accepts it, hil-clients.md); null stays null. */
export function isoOf(ms: number): string;
export function isoOf(ms: number | null): string | null;
export function isoOf(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** HumanLoopStatusResponse: strings or null for responded_*, a dict for response (hil.md §2.6 traps b, c). */
export function statusAnswer(request: HilRequest): Record<string, unknown> {
  return {
    success: true,
    error: request.status === 'error' ? errorOf(request.response) : null,
    status: request.status,
    response: request.response,
    feedback: request.feedback ?? null,
    responded_by: request.respondedBy,
    responded_at: isoOf(request.respondedAt),
  };
}

/** Why a request ended in `error` (a WeCom approval that could not be filed, issue #16), when it says. */
function errorOf(response: Record<string, unknown> | null): string | null {
  const error = response?.['error'];
  return typeof error === 'string' ? error : null;
}
