import type { RunTerminal } from '../../../../app/services/dify/answerBuilder';
import type { DifyFailure } from '../../../../app/services/dify/difyErrors';
import { classifyRun } from '../../../../app/services/turn/turnOutcome';
import { DEFAULT_TEXTS, type TextKey } from '../../../../app/config/texts';

const http = (status: number, code: string): DifyFailure => ({ kind: 'http', status, code, message: 'm' });
const PARTIAL = '已经回答了一半';

describe('classifyRun: failures (no terminal event)', () => {
  it.each<[string, DifyFailure, TextKey, string]>([
    ['429 too_many_requests', http(429, 'too_many_requests'), 'AGENT_BUSY', 'http_429_too_many_requests'],
    ['429 rate_limit_error', http(429, 'rate_limit_error'), 'AGENT_BUSY', 'http_429_rate_limit_error'],
    ['500', http(500, 'internal_server_error'), 'AGENT_UNAVAILABLE', 'http_500_internal_server_error'],
    ['HTML 502', http(502, 'http_502'), 'AGENT_UNAVAILABLE', 'http_502_http_502'],
    ['504', http(504, 'http_504'), 'AGENT_UNAVAILABLE', 'http_504_http_504'],
    [
      '400 completion_request_error',
      http(400, 'completion_request_error'),
      'ANSWER_FAILED',
      'http_400_completion_request_error',
    ],
    ['400 invalid_param', http(400, 'invalid_param'), 'AGENT_MISCONFIGURED', 'http_400_invalid_param'],
    [
      '400 provider_quota_exceeded',
      http(400, 'provider_quota_exceeded'),
      'AGENT_MISCONFIGURED',
      'http_400_provider_quota_exceeded',
    ],
    ['400 not_chat_app', http(400, 'not_chat_app'), 'AGENT_MISCONFIGURED', 'http_400_not_chat_app'],
    ['401 unauthorized', http(401, 'unauthorized'), 'AGENT_MISCONFIGURED', 'http_401_unauthorized'],
    ['403 forbidden', http(403, 'forbidden'), 'AGENT_MISCONFIGURED', 'http_403_forbidden'],
    ['404 not_found', http(404, 'not_found'), 'AGENT_MISCONFIGURED', 'http_404_not_found'],
    [
      '415 unsupported_media_type',
      http(415, 'unsupported_media_type'),
      'AGENT_MISCONFIGURED',
      'http_415_unsupported_media_type',
    ],
    ['a network error', { kind: 'network', reason: 'ECONNREFUSED' }, 'AGENT_UNAVAILABLE', 'network'],
    [
      'a lost connection before any text',
      { kind: 'connection_lost', reason: 'socket hang up' },
      'AGENT_UNAVAILABLE',
      'connection_lost',
    ],
    ['an idle timeout', { kind: 'idle_timeout' }, 'TIMEOUT', 'idle_timeout'],
    ['the overall deadline', { kind: 'deadline' }, 'TIMEOUT', 'deadline'],
  ])('fails on %s with the matching notice', (_label, failure, key, cause) => {
    expect(classifyRun(failure, undefined, '', DEFAULT_TEXTS)).toEqual({
      outcome: 'failed',
      notice: DEFAULT_TEXTS[key],
      cause,
    });
  });

  it('keeps a partial answer and says it was interrupted when the connection drops mid-answer', () => {
    const failure: DifyFailure = { kind: 'connection_lost', reason: 'reset' };
    expect(classifyRun(failure, undefined, PARTIAL, DEFAULT_TEXTS)).toEqual({
      outcome: 'partial',
      notice: DEFAULT_TEXTS.INTERRUPTED,
      cause: 'connection_lost',
    });
  });

  it.each<[string, DifyFailure, TextKey]>([
    ['an idle timeout', { kind: 'idle_timeout' }, 'TIMEOUT'],
    ['the deadline', { kind: 'deadline' }, 'TIMEOUT'],
    ['a network error', { kind: 'network', reason: 'x' }, 'AGENT_UNAVAILABLE'],
  ])('keeps a partial answer on %s', (_label, failure, key) => {
    expect(classifyRun(failure, undefined, PARTIAL, DEFAULT_TEXTS)).toMatchObject({
      outcome: 'partial',
      notice: DEFAULT_TEXTS[key],
    });
  });

  it('lets a failure win over a terminal event', () => {
    const outcome = classifyRun({ kind: 'deadline' }, { kind: 'completed' }, PARTIAL, DEFAULT_TEXTS);
    expect(outcome).toEqual({ outcome: 'partial', notice: DEFAULT_TEXTS.TIMEOUT, cause: 'deadline' });
  });
});

describe('classifyRun: terminal events', () => {
  it('is a clean answer when the run completed with text', () => {
    expect(classifyRun(undefined, { kind: 'completed' }, '答案', DEFAULT_TEXTS)).toEqual({
      outcome: 'answered',
      notice: undefined,
      cause: undefined,
    });
  });

  it.each(['', ' \n '])('fails with the empty-answer notice when the run completed with %p', (answer) => {
    expect(classifyRun(undefined, { kind: 'completed' }, answer, DEFAULT_TEXTS)).toEqual({
      outcome: 'failed',
      notice: DEFAULT_TEXTS.EMPTY_ANSWER,
      cause: 'empty_answer',
    });
  });

  const failed: RunTerminal = {
    kind: 'failed',
    code: 'completion_request_error',
    status: 400,
    message: '[openai] Rate Limit Error',
  };
  it.each<[string, RunTerminal, TextKey, string]>([
    ['an error event', failed, 'ANSWER_FAILED', 'stream_error_completion_request_error'],
    ['a stop', { kind: 'stopped' }, 'INTERRUPTED', 'stopped'],
    ['a pause for human input', { kind: 'paused' }, 'NEEDS_INPUT', 'paused_for_input'],
  ])('ends on %s: failed without text, partial with text', (_label, terminal, key, cause) => {
    expect(classifyRun(undefined, terminal, '', DEFAULT_TEXTS)).toEqual({
      outcome: 'failed',
      notice: DEFAULT_TEXTS[key],
      cause,
    });
    expect(classifyRun(undefined, terminal, PARTIAL, DEFAULT_TEXTS)).toEqual({
      outcome: 'partial',
      notice: DEFAULT_TEXTS[key],
      cause,
    });
  });

  it('treats an end of stream without a terminal event as broken off', () => {
    expect(classifyRun(undefined, undefined, '', DEFAULT_TEXTS)).toEqual({
      outcome: 'failed',
      notice: DEFAULT_TEXTS.AGENT_UNAVAILABLE,
      cause: 'eof_without_end',
    });
    expect(classifyRun(undefined, undefined, PARTIAL, DEFAULT_TEXTS)).toEqual({
      outcome: 'partial',
      notice: DEFAULT_TEXTS.INTERRUPTED,
      cause: 'eof_without_end',
    });
  });

  it('uses the configured (overridden) texts', () => {
    const texts = { ...DEFAULT_TEXTS, TIMEOUT: 'Too slow.' };
    expect(classifyRun({ kind: 'idle_timeout' }, undefined, '', texts).notice).toBe('Too slow.');
  });
});
