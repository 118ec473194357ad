/**
 * Errors a caller of the HTTP surface can cause, and the one table that maps them to a status.
 * A client's mistake is never a 500 (issue "Bad input"); anything not listed here is a 500 whose
 * message is not shown to the caller.
 */
export const ERROR_STATUS = {
  BOT_NOT_FOUND: 404,
  SIGNATURE_INVALID: 401,
  QUERY_INVALID: 400,
  BODY_MALFORMED: 400,
  DECRYPT_FAILED: 400,
  PAYLOAD_INVALID: 400,
  BODY_TOO_LARGE: 413,
  NOT_FOUND: 404,
  /** Shutting down: WeCom retries the message, and the load balancer sends it to another instance. */
  SHUTTING_DOWN: 503,
  /** Listening, but the store is still opening: WeCom retries the callback, a client may retry after a second. */
  STARTING: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class GatewayError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GatewayError';
    this.code = code;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function statusFor(code: ErrorCode): number {
  return ERROR_STATUS[code];
}
