import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AnswerBuilder,
  pickOutput,
  type DifyFileRef,
  type RunIds,
  type RunTerminal,
} from '../../../../app/services/dify/answerBuilder';
import type { DifyAppMode } from '../../../../app/config';
import type { DifyEvent } from '../../../../app/services/dify/events';
import { createDifyEventDecoder } from '../../../../app/services/dify/sseDecoder';

const FIXTURES = join(__dirname, '../../../fixtures/dify');

interface Final {
  answer: string;
  thinking: string;
  files: readonly DifyFileRef[];
  ids: RunIds;
  terminal: RunTerminal | undefined;
}

function snapshot(b: AnswerBuilder): Final {
  return { answer: b.answer, thinking: b.thinking, files: [...b.files], ids: b.ids, terminal: b.terminal };
}

/** JSON with sorted keys, so cheap string comparison does not depend on key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** Decodes `chunks` straight into a builder, as the streaming client will. */
function build(mode: DifyAppMode, chunks: Uint8Array[]): AnswerBuilder {
  const builder = new AnswerBuilder({ mode });
  const decoder = createDifyEventDecoder((e) => builder.apply(e));
  for (const c of chunks) decoder.push(c);
  decoder.end();
  builder.end();
  return builder;
}

function applyAll(mode: DifyAppMode, events: DifyEvent[], workflowOutputKey?: string): AnswerBuilder {
  const builder = new AnswerBuilder(workflowOutputKey === undefined ? { mode } : { mode, workflowOutputKey });
  for (const e of events) builder.apply(e);
  builder.end();
  return builder;
}

const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, `${name}.sse`));

const F1_IDS = {
  conversationId: '6513270e-269e-4d37-b2a7-4de452e6b438',
  messageId: 'd23f0824-128b-4f33-8c5c-7fd0a6a3a450',
  taskId: '9531985d-5d9d-49f8-9818-e811892f902b',
};
const F2_IDS = {
  conversationId: '36f675cc-81e7-4ef5-a8e2-5d940ed90475',
  messageId: '6b0d549b-6f03-475a-9600-a35a099950d8',
  taskId: '8d116ece-1738-47d9-bd9c-172411e20b8f',
};
const F5_IDS = {
  conversationId: 'ca02135e-92b1-43f2-8ede-0d7ac3baea9e',
  messageId: '57124242-5051-41cc-917f-9acae01f5057',
  taskId: '7f26144b-9828-4fcd-99a5-4a7bb1fee08f',
};
const F4_IMAGE_URL =
  '/files/tools/9be4bcfc-49b6-4a08-b2e6-cc3ababced20.png?timestamp=1768003507&nonce=9d2c41b7e0a84f6c9b3e5a7d1c2f4e6a&sign=Zml4dHVyZS1vbmx5LW5vdC1hLXJlYWwtc2lnbmF0dXJlLTAwMDA=';
const F6B_ERROR =
  "[openai] Error: Error code: 400 - {'error': {'message': \"This model's maximum context length is 128000 tokens.\", 'type': 'invalid_request_error'}}";
const COMPLETED: RunTerminal = { kind: 'completed' };

const EXPECTED: Array<[string, DifyAppMode, Final]> = [
  [
    'F1',
    'chat',
    { answer: '你好！我是企业助手，有什么可以帮你的吗？', thinking: '', files: [], ids: F1_IDS, terminal: COMPLETED },
  ],
  ['F1L', 'chat', { answer: '你好！有什么可以帮你的吗？', thinking: '', files: [], ids: F1_IDS, terminal: COMPLETED }],
  [
    'F2',
    'agent-chat',
    {
      answer: '现在是北京时间 2026-01-10 09:21（星期六）。',
      thinking: '',
      files: [],
      ids: F2_IDS,
      terminal: COMPLETED,
    },
  ],
  [
    'F2b',
    'agent-chat',
    {
      answer: '',
      thinking: '',
      files: [
        {
          url: '/files/tools/0cb1e29c-658c-4a14-95e6-0af593bd04cf.png?timestamp=1768003312&nonce=3f9a0c2e7b5d4e61a8c9d0e1f2a3b4c5&sign=Qm9ndXNTaWduYXR1cmVGb3JGaXh0dXJlT25seQ4dA1w=',
          fileType: 'image',
          id: '0fd630f1-f29d-4da9-953f-48f1a09f76b5',
        },
      ],
      ids: F2_IDS,
      terminal: undefined,
    },
  ],
  [
    'F3',
    'advanced-chat',
    {
      answer: '报销分三步：1. 在审批应用提交报销单；2. 直属上级审批；3. 财务打款。',
      thinking: '',
      files: [],
      ids: {
        conversationId: '8e81973e-0bec-47b0-b898-d190f9ebdacc',
        messageId: '6b4cb242-4a23-4596-a217-beaddbc496cb',
        taskId: '92276658-1e27-41c0-8a6a-63ec24ede6a4',
        workflowRunId: 'ae97ba94-d0ed-482f-8f6d-05584ef8aa38',
      },
      terminal: COMPLETED,
    },
  ],
  [
    'F4',
    'advanced-chat',
    {
      answer: `这是为你生成的海报：\n\n![9be4bcfc-49b6-4a08-b2e6-cc3ababced20.png](${F4_IMAGE_URL})`,
      thinking: '',
      files: [],
      ids: {
        conversationId: '3f98e277-4cbd-47ad-9c90-a9587403e430',
        messageId: 'c7a2ea20-b2f1-4c94-ae05-319acb5c7427',
        taskId: '4cdd2055-930d-4eaf-94f4-733f3e7d1bfb',
        workflowRunId: '57ee05cd-e009-42c7-bebf-f20686734721',
      },
      terminal: COMPLETED,
    },
  ],
  [
    'F5',
    'chat',
    {
      answer: '你好！很高兴见到你。',
      thinking: '用户在打招呼，我应该友好地回应。',
      files: [],
      ids: F5_IDS,
      terminal: COMPLETED,
    },
  ],
  ['F5b', 'chat', { answer: '你好！', thinking: '用户在打招呼。', files: [], ids: F5_IDS, terminal: undefined }],
  [
    'F5c',
    'advanced-chat',
    {
      answer: '你好！很高兴见到你。',
      thinking: '用户在打招呼，应友好回应。',
      files: [],
      ids: F5_IDS,
      terminal: undefined,
    },
  ],
  [
    'F6',
    'chat',
    {
      answer: '根据公司制度，',
      thinking: '',
      files: [],
      ids: {
        conversationId: '451abd81-f1d6-4ed6-97f5-e837d70820fe',
        messageId: '10a3d6b2-aa05-411a-b271-5945795e8229',
        taskId: '4f426dcb-b394-4b36-bb2d-420f0f88080b',
      },
      terminal: {
        kind: 'failed',
        code: 'completion_request_error',
        status: 400,
        message:
          "[openai] Rate Limit Error, Error code: 429 - {'error': {'message': 'Rate limit reached for requests', 'type': 'requests', 'code': 'rate_limit_exceeded'}}",
      },
    },
  ],
  [
    'F6b',
    'advanced-chat',
    {
      answer: '',
      thinking: '',
      files: [],
      ids: {
        conversationId: 'ae658f33-fe3b-490b-93f4-48b3a5aa3c81',
        messageId: 'b774eb52-48db-40af-b215-8370d269a9a5',
        taskId: '58d5563d-ab2c-431e-a315-128862c33a4f',
        workflowRunId: '5affb229-7631-4992-b0ce-583505c6af07',
      },
      terminal: { kind: 'failed', code: 'workflow_failed', message: F6B_ERROR },
    },
  ],
  [
    'F7',
    'workflow',
    {
      answer: 'Bonjour，世界',
      thinking: '',
      files: [],
      ids: { taskId: '66d22876-72fd-4202-aa96-fb1a14a0f9e7', workflowRunId: '7f1b103c-df15-42b0-aab4-77d26415479c' },
      terminal: COMPLETED,
    },
  ],
];

describe('AnswerBuilder: fixtures', () => {
  it.each(EXPECTED)('%s (%s) gives the expected final state', (name, mode, expected) => {
    const b = build(mode, [fixture(name)]);
    expect(snapshot(b)).toEqual(expected);
    expect(b.sawEvents).toBe(true);
  });

  it.each(EXPECTED)('%s gives the same final state split at every byte', (name, mode, expected) => {
    const buf = fixture(name);
    const want = canonical(expected);
    const failures: number[] = [];
    for (let i = 0; i <= buf.length; i += 1) {
      const b = build(mode, [buf.subarray(0, i), buf.subarray(i)]);
      if (canonical(snapshot(b)) !== want) failures.push(i);
    }
    expect(failures).toEqual([]);
    const bytes = [...buf].map((byte) => Uint8Array.of(byte));
    expect(snapshot(build(mode, bytes))).toEqual(expected);
  });
});

const msg = (answer: string, extra: Partial<Record<string, string>> = {}): DifyEvent => ({
  event: 'message',
  answer,
  ...extra,
});
const wfFinished = (
  status: string,
  outputs: Record<string, unknown> | null = {},
  error: string | null = null,
): DifyEvent => ({ event: 'workflow_finished', status, outputs, error });

describe('AnswerBuilder: workflow outputs', () => {
  it('takes outputs.result when the stream had no text_chunk', () => {
    const b = applyAll('workflow', [
      { event: 'workflow_started' },
      wfFinished('succeeded', { other: 1, result: '结果' }),
    ]);
    expect(b.answer).toBe('结果');
    expect(b.terminal).toEqual({ kind: 'completed' });
  });

  it('keeps the streamed text_chunk answer over the outputs', () => {
    const b = applyAll('workflow', [
      { event: 'text_chunk', text: '流式' },
      wfFinished('succeeded', { result: '不同' }),
    ]);
    expect(b.answer).toBe('流式');
  });

  it('uses the configured workflowOutputKey, and falls back when it is missing', () => {
    const outputs = { answer: 'A', summary: 'S' };
    expect(applyAll('workflow', [wfFinished('succeeded', outputs)], 'summary').answer).toBe('S');
    expect(applyAll('workflow', [wfFinished('succeeded', outputs)], 'nope').answer).toBe('A');
  });

  it('filters think tags out of the output text', () => {
    const b = applyAll('workflow', [wfFinished('succeeded', { text: '<think>想</think>\n\n答' })]);
    expect(b).toMatchObject({ answer: '答', thinking: '想' });
  });

  it('only takes outputs in workflow mode and on success', () => {
    expect(applyAll('advanced-chat', [wfFinished('succeeded', { answer: 'A' })]).answer).toBe('');
    expect(applyAll('workflow', [wfFinished('failed', { answer: 'A' }, 'boom')]).answer).toBe('');
    expect(applyAll('workflow', [wfFinished('stopped', { answer: 'A' })]).answer).toBe('');
  });

  it.each([
    [{ answer: 'a', text: 't', result: 'r', output: 'o' }, 'a'],
    [{ text: 't', result: 'r', output: 'o' }, 't'],
    [{ output: 'o', n: 1 }, 'o'],
    [{ n: 1, first: 'f', second: 's' }, 'f'],
    [{ n: 1, list: [1, 2] }, '```json\n{\n  "n": 1,\n  "list": [\n    1,\n    2\n  ]\n}\n```'],
    [{}, ''],
  ])('pickOutput(%j) → %j', (outputs, expected) => {
    expect(pickOutput(outputs)).toBe(expected);
  });

  it('pickOutput renders a non-string configured key as JSON and ignores null outputs', () => {
    expect(pickOutput({ data: { a: 1 } }, 'data')).toBe('```json\n{\n  "a": 1\n}\n```');
    expect(pickOutput(null)).toBe('');
  });
});

describe('AnswerBuilder: terminal signals (dify-api.md §4.4)', () => {
  it('chatflow with message_end before workflow_finished completes', () => {
    const b = applyAll('advanced-chat', [
      msg('答'),
      { event: 'message_end' },
      wfFinished('succeeded', { answer: '答' }),
    ]);
    expect(b).toMatchObject({ answer: '答', terminal: { kind: 'completed' } });
  });

  it('chatflow without message_end completes on workflow_finished', () => {
    const b = applyAll('advanced-chat', [{ event: 'workflow_started' }, msg('答'), wfFinished('succeeded')]);
    expect(b).toMatchObject({ answer: '答', terminal: { kind: 'completed' } });
  });

  it('failed overrides an earlier completed', () => {
    const b = applyAll('chat', [msg('a'), { event: 'message_end' }, { event: 'error', code: 'x', message: 'm' }]);
    expect(b.terminal).toEqual({ kind: 'failed', code: 'x', message: 'm' });
  });

  it('the first failure wins over a later error (chatflow failure sequence)', () => {
    const b = applyAll('advanced-chat', [
      wfFinished('failed', {}, 'E'),
      { event: 'error', status: 400, code: 'invalid_param', message: 'Run failed: E' },
    ]);
    expect(b.terminal).toEqual({ kind: 'failed', code: 'workflow_failed', message: 'E' });
  });

  it('uses a default message when workflow_finished failed without an error text', () => {
    expect(applyAll('workflow', [wfFinished('failed', null, null)]).terminal).toEqual({
      kind: 'failed',
      code: 'workflow_failed',
      message: 'Workflow failed',
    });
  });

  it('stopped is kept when message_end follows', () => {
    const b = applyAll('advanced-chat', [msg('部分'), wfFinished('stopped'), { event: 'message_end' }]);
    expect(b).toMatchObject({ answer: '部分', terminal: { kind: 'stopped' } });
  });

  it('paused ends the run', () => {
    expect(applyAll('advanced-chat', [{ event: 'paused' }, { event: 'paused' }]).terminal).toEqual({ kind: 'paused' });
  });

  it('has no terminal and no events before anything is applied', () => {
    const b = new AnswerBuilder({ mode: 'chat' });
    expect(b).toMatchObject({ answer: '', thinking: '', terminal: undefined, sawEvents: false, ids: {} });
  });
});

describe('AnswerBuilder: text assembly (dify-api.md §4.5)', () => {
  it('appends a message_file that carries answer text and no url (§4.3 pitfall)', () => {
    const b = applyAll('chat', [msg('前'), { event: 'message_file', id: 'x', answer: '中' }, msg('后')]);
    expect(b).toMatchObject({ answer: '前中后', files: [] });
  });

  it('in agent mode a message after agent_message replaces the answer', () => {
    const events: DifyEvent[] = [
      { event: 'agent_message', answer: '现在是' },
      { event: 'agent_message', answer: '九点' },
      msg('现在是九点。'),
    ];
    expect(applyAll('agent', events).answer).toBe('现在是九点。');
    expect(applyAll('agent-chat', events).answer).toBe('现在是九点现在是九点。');
    expect(applyAll('agent', [msg('a'), msg('b')]).answer).toBe('ab');
  });

  it('message_replace replaces everything, including thinking, and later deltas append', () => {
    const b = applyAll('chat', [
      msg('<think>t</think>敏感'),
      { event: 'message_replace', answer: '已屏蔽' },
      msg('。'),
    ]);
    expect(b).toMatchObject({ answer: '已屏蔽。', thinking: '' });
  });

  it('text_chunk appends and text_replace replaces', () => {
    const b = applyAll('workflow', [
      { event: 'text_chunk', text: 'a' },
      { event: 'text_replace', text: 'B' },
      { event: 'text_chunk', text: 'c' },
    ]);
    expect(b.answer).toBe('Bc');
  });

  it('agent_thought never touches the answer', () => {
    const b = applyAll('agent-chat', [
      { event: 'agent_message', answer: '答' },
      { event: 'agent_thought', id: 't', thought: '答' },
    ]);
    expect(b.answer).toBe('答');
  });

  it('combines reasoning_chunk thinking with inline thinking', () => {
    const b = applyAll('advanced-chat', [
      { event: 'reasoning_chunk', reasoning: '\n分离' },
      { event: 'reasoning_chunk', reasoning: '推理\n' },
      msg('<think>内联</think>答'),
    ]);
    expect(b).toMatchObject({ thinking: '分离推理\n\n内联', answer: '答' });
  });

  it('releases held-back text at end()', () => {
    const b = new AnswerBuilder({ mode: 'chat' });
    b.apply(msg('1 <'));
    expect(b.answer).toBe('1 ');
    b.end();
    expect(b.answer).toBe('1 <');
  });
});

describe('AnswerBuilder: apply() result, files and ids', () => {
  it('returns true only when answer or thinking visibly changed', () => {
    const b = new AnswerBuilder({ mode: 'agent-chat' });
    expect(b.apply({ event: 'agent_thought', id: 't' })).toBe(false);
    expect(b.apply({ event: 'agent_message', answer: '<' })).toBe(false);
    expect(b.apply({ event: 'agent_message', answer: 'think>想' })).toBe(true);
    expect(b.apply({ event: 'progress', name: 'node_started' })).toBe(false);
    expect(b.apply({ event: 'reasoning_chunk', reasoning: 'r' })).toBe(true);
    expect(b.apply({ event: 'message_file', url: '/f.png', fileType: 'image' })).toBe(false);
    expect(b.apply({ event: 'unknown', name: 'tts_message' })).toBe(false);
    expect(b.apply({ event: 'message_end' })).toBe(false);
    expect(b.sawEvents).toBe(true);
  });

  it('keeps assistant files (or files without belongsTo), once each', () => {
    const b = applyAll('agent-chat', [
      { event: 'message_file', id: 'u', url: '/files/u.png', fileType: 'image', belongsTo: 'user' },
      { event: 'message_file', id: 'a', url: '/files/a.png', fileType: 'image', belongsTo: 'assistant' },
      { event: 'message_file', id: 'a', url: '/files/a.png', fileType: 'image', belongsTo: 'assistant' },
      { event: 'message_file', url: 'https://cdn.example.com/b.pdf' },
    ]);
    expect(b.files).toEqual([
      { url: '/files/a.png', fileType: 'image', id: 'a' },
      { url: 'https://cdn.example.com/b.pdf', fileType: 'custom' },
    ]);
  });

  it('takes each id from the first event that carries it', () => {
    const b = applyAll('advanced-chat', [
      { event: 'error', code: 'x', message: 'm', conversationId: 'c1' },
      { event: 'workflow_started', conversationId: 'c2', messageId: 'm1', taskId: 't1' },
      { event: 'progress', name: 'node_started', taskId: 't2', workflowRunId: 'w1' },
      { event: 'message_end', messageId: 'm2', workflowRunId: 'w2' },
    ]);
    expect(b.ids).toEqual({ conversationId: 'c1', messageId: 'm1', taskId: 't1', workflowRunId: 'w1' });
  });

  it('returns a copy of the ids', () => {
    const b = applyAll('chat', [msg('a', { conversationId: 'c' })]);
    const ids = b.ids;
    ids.conversationId = 'changed';
    expect(b.ids.conversationId).toBe('c');
  });
});
