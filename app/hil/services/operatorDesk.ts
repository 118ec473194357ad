import type { HilRequest, HilStatus, JsonObject } from '../store/hilRequests';

/** The outcome of an operator's action: the updated request, or why not (the hub's `success:false` error). */
export type DeskResult =
  | { readonly ok: true; readonly request: HilRequest }
  | { readonly ok: false; readonly error: string; readonly notFound?: boolean };

/**
 * What an operator of the admin API may do to a request (hil.md §2.9), by the server's uuid. Each
 * answer is conditional on the request being open, updates what the person sees in WeCom where the
 * channel allows it (a short notice), and is applied once. `by` is the operator's name or e-mail.
 */
export interface OperatorDesk {
  approval(
    id: string,
    action: 'approved' | 'rejected',
    by: string,
    extra: { readonly feedback?: unknown; readonly response?: unknown },
  ): Promise<DeskResult>;
  information(id: string, response: unknown, by: string, feedback?: unknown): Promise<DeskResult>;
  conversation(id: string, response: unknown, by: string, isComplete: boolean, feedback?: unknown): Promise<DeskResult>;
  cancel(id: string, by: string): Promise<DeskResult>;
  /** Any of the 8 statuses, no type check (POST /requests/{id}/status). */
  setStatus(id: string, status: HilStatus, by: string): Promise<DeskResult>;
}

/** What an operator's free-form `response` becomes: objects as given, anything else under the loop type's key. */
export function responseObject(key: string, response: unknown): JsonObject {
  if (typeof response === 'object' && response !== null && !Array.isArray(response)) return response as JsonObject;
  return { [key]: response };
}
