import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDifyEvent, type DifyEvent } from '../../../../app/services/dify/events';

const FIXTURES = join(__dirname, '../../../fixtures/dify');

/** The JSON payloads of a fixture, one per `data:` line (dify-api.md §10). */
function dataLines(name: string): string[] {
  return readFileSync(join(FIXTURES, `${name}.sse`), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('data: '))
    .map((l) => l.slice('data: '.length));
}

function parseAt(name: string, index: number): DifyEvent | null {
  const line = dataLines(name)[index];
  if (line === undefined) throw new Error(`${name} has no data line ${index}`);
  return parseDifyEvent(line);
}

const ev = (obj: Record<string, unknown>): DifyEvent | null => parseDifyEvent(JSON.stringify(obj));

const F1_ENVELOPE = {
  conversationId: '6513270e-269e-4d37-b2a7-4de452e6b438',
  messageId: 'd23f0824-128b-4f33-8c5c-7fd0a6a3a450',
  taskId: '9531985d-5d9d-49f8-9818-e811892f902b',
};

describe('parseDifyEvent: fixtures', () => {
  it('maps a modern `message` with its snake_case envelope to camelCase (F1)', () => {
    expect(parseAt('F1', 0)).toEqual({ event: 'message', answer: '你好', ...F1_ENVELOPE });
  });

  it('reads the legacy spaced, \\u-escaped style the same way (F1L)', () => {
    expect(parseAt('F1L', 0)).toEqual({ event: 'message', answer: '你好', ...F1_ENVELOPE });
    expect(parseAt('F1L', 1)).toEqual({ event: 'message', answer: '！有什么可以帮你的吗？', ...F1_ENVELOPE });
    expect(parseAt('F1L', 2)).toEqual({ event: 'message_end', ...F1_ENVELOPE });
  });

  it('parses every data line of every fixture to a known variant, never `unknown`', () => {
    const names = ['F1', 'F1L', 'F2', 'F2b', 'F3', 'F4', 'F5', 'F5b', 'F5c', 'F6', 'F6b', 'F7'];
    for (const name of names) {
      for (const line of dataLines(name)) {
        const parsed = parseDifyEvent(line);
        expect(parsed).not.toBeNull();
        expect(parsed?.event).not.toBe('unknown');
      }
    }
  });

  it('parses agent_thought progress fields, never exposing the tool_input (F2)', () => {
    expect(parseAt('F2', 2)).toEqual({
      event: 'agent_thought',
      id: '90c192cf-d3ac-44af-8f21-ddb66cad4a26',
      thought: '',
      tool: 'current_time',
      observation: '{"current_time": "2026-01-10 09:21:40"}',
      conversationId: '36f675cc-81e7-4ef5-a8e2-5d940ed90475',
      messageId: '6b0d549b-6f03-475a-9600-a35a099950d8',
      taskId: '8d116ece-1738-47d9-bd9c-172411e20b8f',
    });
    expect(parseAt('F2', 4)).toMatchObject({ event: 'agent_message', answer: '现在是北京时间 ' });
  });

  it('parses message_file with type → fileType and belongs_to → belongsTo (F2b)', () => {
    expect(parseAt('F2b', 1)).toEqual({
      event: 'message_file',
      id: '0fd630f1-f29d-4da9-953f-48f1a09f76b5',
      fileType: 'image',
      belongsTo: 'assistant',
      url: '/files/tools/0cb1e29c-658c-4a14-95e6-0af593bd04cf.png?timestamp=1768003312&nonce=3f9a0c2e7b5d4e61a8c9d0e1f2a3b4c5&sign=Qm9ndXNTaWduYXR1cmVGb3JGaXh0dXJlT25seQ4dA1w=',
      conversationId: '36f675cc-81e7-4ef5-a8e2-5d940ed90475',
      messageId: '6b0d549b-6f03-475a-9600-a35a099950d8',
      taskId: '8d116ece-1738-47d9-bd9c-172411e20b8f',
    });
  });

  it('collapses node events into progress and keeps workflowRunId (F3)', () => {
    expect(parseAt('F3', 0)).toEqual({
      event: 'workflow_started',
      conversationId: '8e81973e-0bec-47b0-b898-d190f9ebdacc',
      messageId: '6b4cb242-4a23-4596-a217-beaddbc496cb',
      taskId: '92276658-1e27-41c0-8a6a-63ec24ede6a4',
      workflowRunId: 'ae97ba94-d0ed-482f-8f6d-05584ef8aa38',
    });
    expect(parseAt('F3', 1)).toMatchObject({ event: 'progress', name: 'node_started' });
    expect(parseAt('F3', 2)).toMatchObject({ event: 'progress', name: 'node_finished' });
  });

  it('parses reasoning_chunk, including the empty is_final chunk (F5c)', () => {
    expect(parseAt('F5c', 0)).toMatchObject({ event: 'reasoning_chunk', reasoning: '用户在打招呼，' });
    expect(parseAt('F5c', 2)).toMatchObject({ event: 'reasoning_chunk', reasoning: '' });
  });

  it('parses an in-stream error without task_id (F6, §5.3)', () => {
    const e = parseAt('F6', 2);
    expect(e).toEqual({
      event: 'error',
      status: 400,
      code: 'completion_request_error',
      message:
        "[openai] Rate Limit Error, Error code: 429 - {'error': {'message': 'Rate limit reached for requests', 'type': 'requests', 'code': 'rate_limit_exceeded'}}",
      conversationId: '451abd81-f1d6-4ed6-97f5-e837d70820fe',
      messageId: '10a3d6b2-aa05-411a-b271-5945795e8229',
    });
    expect(e).not.toHaveProperty('taskId');
  });

  it('parses workflow_finished failed with its error (F6b)', () => {
    expect(parseAt('F6b', 3)).toMatchObject({ event: 'workflow_finished', status: 'failed', outputs: {} });
    const e = parseAt('F6b', 3);
    expect(e?.event === 'workflow_finished' && e.error).toContain('maximum context length');
  });

  it('parses workflow text_chunk and workflow_finished outputs (F7)', () => {
    const envelope = {
      taskId: '66d22876-72fd-4202-aa96-fb1a14a0f9e7',
      workflowRunId: '7f1b103c-df15-42b0-aab4-77d26415479c',
    };
    expect(parseAt('F7', 1)).toEqual({ event: 'text_chunk', text: 'Bonjour', ...envelope });
    expect(parseAt('F7', 3)).toEqual({
      event: 'workflow_finished',
      status: 'succeeded',
      outputs: { result: 'Bonjour，世界' },
      error: null,
      ...envelope,
    });
  });
});

describe('parseDifyEvent: variants', () => {
  it.each([
    ['message_replace', { answer: 'X' }, { event: 'message_replace', answer: 'X' }],
    ['text_replace', { data: { text: 'Y' } }, { event: 'text_replace', text: 'Y' }],
    ['message_end', { metadata: {} }, { event: 'message_end' }],
    ['workflow_paused', { data: {} }, { event: 'paused' }],
    ['human_input_required', { form_token: 't' }, { event: 'paused' }],
    ['ping', {}, { event: 'ping' }],
    ['node_retry', { data: {} }, { event: 'progress', name: 'node_retry' }],
    ['iteration_next', { data: {} }, { event: 'progress', name: 'iteration_next' }],
    ['loop_completed', { data: {} }, { event: 'progress', name: 'loop_completed' }],
    ['tts_message', { audio: 'AAA' }, { event: 'unknown', name: 'tts_message' }],
    ['some_future_event', { x: 1 }, { event: 'unknown', name: 'some_future_event' }],
  ])('%s', (name, payload, expected) => {
    expect(ev({ event: name, ...payload })).toEqual(expected);
  });

  it('treats a message_file with answer and no url as a text carrier (§4.3 pitfall)', () => {
    expect(ev({ event: 'message_file', id: 'm1', answer: '文本', url: null })).toEqual({
      event: 'message_file',
      id: 'm1',
      answer: '文本',
    });
  });

  it('reads null, empty or wrongly typed envelope ids as absent', () => {
    const e = ev({
      event: 'message',
      answer: 'a',
      conversation_id: null,
      message_id: '',
      task_id: 42,
      workflow_run_id: 'w',
    });
    expect(e).toEqual({ event: 'message', answer: 'a', workflowRunId: 'w' });
  });

  it('is lenient on workflow_finished outputs and error', () => {
    expect(ev({ event: 'workflow_finished', data: { status: 'stopped' } })).toEqual({
      event: 'workflow_finished',
      status: 'stopped',
      outputs: null,
      error: null,
    });
    expect(ev({ event: 'workflow_finished', data: { status: 'failed', outputs: [1], error: { x: 1 } } })).toEqual({
      event: 'workflow_finished',
      status: 'failed',
      outputs: null,
      error: null,
    });
  });

  it('keeps an error event even when its fields are odd (it ends the stream, §5.3)', () => {
    expect(ev({ event: 'error', code: 'x', message: 'm' })).toEqual({ event: 'error', code: 'x', message: 'm' });
    expect(ev({ event: 'error', status: '500' })).toEqual({ event: 'error', code: 'unknown', message: '' });
  });
});

describe('parseDifyEvent: bad input', () => {
  it.each([['{'], ['not json'], [''], ['data: {}'], ['{"event":"message","answer":"a"']])(
    'returns null for malformed JSON %j',
    (data) => {
      expect(parseDifyEvent(data)).toBeNull();
    },
  );

  it.each([['[]'], ['[{"event":"message"}]'], ['"message"'], ['42'], ['null'], ['true']])(
    'returns null for the non-object %s',
    (data) => {
      expect(parseDifyEvent(data)).toBeNull();
    },
  );

  it.each([
    [{ event: 'message', answer: 5 }, 'message'],
    [{ event: 'message' }, 'message'],
    [{ event: 'agent_message', answer: null }, 'agent_message'],
    [{ event: 'message_replace', answer: ['a'] }, 'message_replace'],
    [{ event: 'text_chunk', data: { text: 1 } }, 'text_chunk'],
    [{ event: 'text_chunk' }, 'text_chunk'],
    [{ event: 'workflow_finished', data: { outputs: {} } }, 'workflow_finished'],
    [{ event: 'reasoning_chunk', data: 'x' }, 'reasoning_chunk'],
  ])('maps a known event with a bad shape to unknown: %j', (payload, name) => {
    expect(ev({ ...payload, conversation_id: 'c' })).toEqual({ event: 'unknown', name, conversationId: 'c' });
  });

  it('maps an object without a string event to unknown with an empty name', () => {
    expect(ev({ answer: 'a' })).toEqual({ event: 'unknown', name: '' });
    expect(ev({ event: 7 })).toEqual({ event: 'unknown', name: '' });
  });

  it('does not resolve inherited property names as event parsers', () => {
    expect(ev({ event: 'toString' })).toEqual({ event: 'unknown', name: 'toString' });
    expect(ev({ event: '__proto__' })).toEqual({ event: 'unknown', name: '__proto__' });
  });

  it('never throws on truncated fixture lines', () => {
    for (const line of dataLines('F3')) {
      for (let i = 0; i <= line.length; i += 7) {
        expect(() => parseDifyEvent(line.slice(0, i))).not.toThrow();
      }
    }
  });
});
