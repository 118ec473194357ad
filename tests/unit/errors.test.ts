import { ERROR_STATUS, GatewayError, statusFor, type ErrorCode } from '../../app/errors';

/** The whole table, row by row: adding or changing a code must change this test too. */
const EXPECTED: Record<ErrorCode, number> = {
  BOT_NOT_FOUND: 404,
  SIGNATURE_INVALID: 401,
  QUERY_INVALID: 400,
  BODY_MALFORMED: 400,
  DECRYPT_FAILED: 400,
  PAYLOAD_INVALID: 400,
  BODY_TOO_LARGE: 413,
  NOT_FOUND: 404,
  SHUTTING_DOWN: 503,
  STARTING: 503,
  INTERNAL: 500,
};

describe('ERROR_STATUS', () => {
  it('maps exactly these codes to these statuses', () => {
    expect(ERROR_STATUS).toStrictEqual(EXPECTED);
  });

  it('never answers a client mistake with a 5xx: only INTERNAL, SHUTTING_DOWN and STARTING (a retry succeeds)', () => {
    const serverErrors = Object.entries(ERROR_STATUS).filter(([, status]) => status >= 500);
    expect(serverErrors).toEqual([
      ['SHUTTING_DOWN', 503],
      ['STARTING', 503],
      ['INTERNAL', 500],
    ]);
  });

  it.each(Object.entries(EXPECTED) as [ErrorCode, number][])('statusFor(%s) is %d', (code, status) => {
    expect(statusFor(code)).toBe(status);
  });
});

describe('GatewayError', () => {
  it('carries its code, its status from the table, and a cause', () => {
    const cause = new Error('bad padding');
    const error = new GatewayError('DECRYPT_FAILED', 'cannot decrypt', { cause });
    expect(error).toBeInstanceOf(Error);
    expect([error.name, error.code, error.status, error.message, error.cause]).toEqual([
      'GatewayError',
      'DECRYPT_FAILED',
      400,
      'cannot decrypt',
      cause,
    ]);
  });

  it.each(Object.keys(EXPECTED) as ErrorCode[])('reads the status of %s from the table', (code) => {
    expect(new GatewayError(code, 'x').status).toBe(EXPECTED[code]);
  });
});
