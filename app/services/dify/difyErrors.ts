/**
 * Why a Dify run could not produce (or finish) an answer. Pre-stream HTTP errors keep Dify's own
 * `{code, message, status}` envelope (dify-api.md §5.1, §5.2); everything else is classified by what
 * the gateway observed on the wire.
 */
export type DifyFailure =
  /** Dify answered with a non-200 status before any event (or with a non-SSE body). */
  | { readonly kind: 'http'; readonly status: number; readonly code: string; readonly message: string }
  /** No HTTP response at all: refused, reset, DNS, TLS. */
  | { readonly kind: 'network'; readonly reason: string }
  /** The stream broke off after it started (socket closed without the end of the body). */
  | { readonly kind: 'connection_lost'; readonly reason: string }
  /** No byte (not even a keep-alive ping) for the idle-read timeout. */
  | { readonly kind: 'idle_timeout' }
  /** The overall limit of the run was reached. */
  | { readonly kind: 'deadline' }
  /** The gateway is shutting down and the run did not finish within the grace period. */
  | { readonly kind: 'shutdown' };

export class DifyError extends Error {
  constructor(readonly failure: DifyFailure) {
    super(describeFailure(failure));
    this.name = 'DifyError';
  }
}

/**
 * For logs and error messages: statuses and codes only. Dify's messages can quote the user's input
 * (validation errors echo it), so they never leave this object.
 */
export function describeFailure(failure: DifyFailure): string {
  switch (failure.kind) {
    case 'http':
      return `Dify HTTP ${failure.status} ${failure.code}`;
    case 'network':
      return `Dify unreachable: ${failure.reason}`;
    case 'connection_lost':
      return `Dify stream lost: ${failure.reason}`;
    case 'idle_timeout':
      return 'Dify stream idle timeout';
    case 'deadline':
      return 'Dify run reached its overall time limit';
    case 'shutdown':
      return 'Dify run cut short by shutdown';
    default: {
      const exhaustive: never = failure;
      return String(exhaustive);
    }
  }
}

/**
 * Only failures that happened before any event may be retried (dify-api.md §5.5): network errors,
 * 429 `too_many_requests` (a per-app concurrency limit that frees up) and 5xx. A 429
 * `rate_limit_error` is a plan quota and does not recover within seconds.
 */
export function isRetryable(failure: DifyFailure): boolean {
  if (failure.kind === 'network') return true;
  if (failure.kind !== 'http') return false;
  if (failure.status === 429) return failure.code === 'too_many_requests';
  return failure.status >= 500;
}

/** Dify's 404 for a conversation that does not exist for this (app, user) (dify-api.md §8 P4). */
export function isConversationMissing(failure: DifyFailure): boolean {
  if (failure.kind !== 'http') return false;
  if (failure.status === 404 && failure.code === 'not_found')
    return failure.message.startsWith('Conversation Not Exists');
  return failure.status === 400 && failure.code === 'conversation_completed';
}

/** Reads Dify's error envelope; proxies in front of Dify answer HTML (§5.2 P14), which keeps the status. */
export function parseErrorBody(status: number, contentType: string | undefined, text: string): DifyFailure {
  if (contentType !== undefined && contentType.includes('json')) {
    try {
      const body: unknown = JSON.parse(text);
      if (typeof body === 'object' && body !== null) {
        const { code, message } = body as { code?: unknown; message?: unknown };
        return {
          kind: 'http',
          status,
          code: typeof code === 'string' ? code : `http_${status}`,
          message: typeof message === 'string' ? message : '',
        };
      }
    } catch {
      // fall through: a JSON content type with a broken body is treated like any non-JSON body
    }
  }
  return { kind: 'http', status, code: `http_${status}`, message: '' };
}
