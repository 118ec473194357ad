import {
  DifyError,
  describeFailure,
  isConversationMissing,
  isRetryable,
  parseErrorBody,
  type DifyFailure,
} from '../../../../app/services/dify/difyErrors';

const http = (status: number, code: string, message = ''): DifyFailure => ({ kind: 'http', status, code, message });

describe('isRetryable (dify-api.md §5.5)', () => {
  it.each<[string, DifyFailure]>([
    ['a network error', { kind: 'network', reason: 'ECONNRESET' }],
    ['429 too_many_requests', http(429, 'too_many_requests')],
    ['500', http(500, 'internal_server_error')],
    ['502 HTML page', http(502, 'http_502')],
    ['503', http(503, 'http_503')],
    ['504', http(504, 'http_504')],
  ])('retries %s', (_label, failure) => {
    expect(isRetryable(failure)).toBe(true);
  });

  it.each<[string, DifyFailure]>([
    ['429 rate_limit_error (a plan quota)', http(429, 'rate_limit_error')],
    ['400 invalid_param', http(400, 'invalid_param')],
    ['400 completion_request_error', http(400, 'completion_request_error')],
    ['401 unauthorized', http(401, 'unauthorized')],
    ['403 forbidden', http(403, 'forbidden')],
    ['404 not_found', http(404, 'not_found', 'Conversation Not Exists.')],
    ['a lost stream (events may already exist)', { kind: 'connection_lost', reason: 'reset' }],
    ['an idle timeout', { kind: 'idle_timeout' }],
    ['the deadline', { kind: 'deadline' }],
  ])('does not retry %s', (_label, failure) => {
    expect(isRetryable(failure)).toBe(false);
  });
});

describe('isConversationMissing (dify-api.md §5.1, §5.2)', () => {
  it.each<[string, DifyFailure]>([
    ['the plain 404', http(404, 'not_found', 'Conversation Not Exists.')],
    [
      'the 404 with the flask-restx suffix',
      http(
        404,
        'not_found',
        'Conversation Not Exists. You have requested this URI [/v1/chat-messages] but did you mean /v1/chat-messages or /v1/messages ?',
      ),
    ],
    [
      '400 conversation_completed',
      http(400, 'conversation_completed', 'The conversation has ended. Please start a new conversation.'),
    ],
  ])('recognises %s', (_label, failure) => {
    expect(isConversationMissing(failure)).toBe(true);
  });

  it.each<[string, DifyFailure]>([
    ['a workflow 404', http(404, 'not_found', 'Workflow not found with id: 1')],
    ['a 404 from a proxy', http(404, 'http_404')],
    ['another 400', http(400, 'invalid_param', 'Conversation Not Exists.')],
    ['a network error', { kind: 'network', reason: 'Conversation Not Exists.' }],
  ])('does not mistake %s for it', (_label, failure) => {
    expect(isConversationMissing(failure)).toBe(false);
  });
});

describe('parseErrorBody', () => {
  it("reads Dify's JSON envelope, whatever the charset parameter", () => {
    const body = '{"code": "too_many_requests", "message": "Too many requests.", "status": 429}';
    expect(parseErrorBody(429, 'application/json; charset=utf-8', body)).toEqual(
      http(429, 'too_many_requests', 'Too many requests.'),
    );
  });

  it('keeps the HTTP status even when the body says otherwise', () => {
    expect(parseErrorBody(400, 'application/json', '{"code":"invalid_param","message":"x","status":422}')).toEqual(
      http(400, 'invalid_param', 'x'),
    );
  });

  it('names the status when the JSON has no usable code or message', () => {
    expect(parseErrorBody(500, 'application/json', '{"code": 5, "message": null}')).toEqual(http(500, 'http_500'));
    expect(parseErrorBody(500, 'application/json', '[]')).toEqual(http(500, 'http_500'));
    expect(parseErrorBody(500, 'application/json', 'null')).toEqual(http(500, 'http_500'));
  });

  it('reads an HTML 502 page from a proxy as the status alone', () => {
    const html =
      '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';
    expect(parseErrorBody(502, 'text/html', html)).toEqual(http(502, 'http_502'));
  });

  it('reads a broken JSON body as the status alone', () => {
    expect(parseErrorBody(503, 'application/json', '{"code": "internal_ser')).toEqual(http(503, 'http_503'));
    expect(parseErrorBody(504, 'application/json', '')).toEqual(http(504, 'http_504'));
  });

  it('does not parse a body whose content type is missing or not JSON', () => {
    const body = '{"code":"not_found","message":"Conversation Not Exists."}';
    expect(parseErrorBody(404, undefined, body)).toEqual(http(404, 'http_404'));
    expect(parseErrorBody(404, 'text/plain', body)).toEqual(http(404, 'http_404'));
  });
});

describe('describeFailure / DifyError', () => {
  it('leaves out the Dify message, which may quote the user input', () => {
    const text = describeFailure(http(400, 'invalid_param', 'Input should be a valid string, input_value=用户的问题'));
    expect(text).toBe('Dify HTTP 400 invalid_param');
  });

  it('describes every kind of failure', () => {
    expect(describeFailure({ kind: 'network', reason: 'ECONNREFUSED' })).toBe('Dify unreachable: ECONNREFUSED');
    expect(describeFailure({ kind: 'connection_lost', reason: 'aborted' })).toBe('Dify stream lost: aborted');
    expect(describeFailure({ kind: 'idle_timeout' })).toBe('Dify stream idle timeout');
    expect(describeFailure({ kind: 'deadline' })).toBe('Dify run reached its overall time limit');
  });

  it('carries the failure in a named error', () => {
    const error = new DifyError({ kind: 'idle_timeout' });
    expect([error.name, error.message, error.failure]).toEqual([
      'DifyError',
      'Dify stream idle timeout',
      { kind: 'idle_timeout' },
    ]);
  });
});
