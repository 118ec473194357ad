import type { AgentConfig, DifyAppMode } from '../../../../app/config';
import { OPEN_ACCESS } from '../../../../app/config/access';
import { buildRunRequest, hasConversations, stopPath } from '../../../../app/services/dify/runRequest';

const agent: AgentConfig = {
  id: 'default',
  baseUrl: 'https://dify.example/v1',
  apiKey: 'app-key',
  mode: undefined,
  inputs: { lang: 'zh' },
  queryVariable: 'question',
  outputKey: undefined,
  fileVariable: undefined,
  filesBaseUrl: 'https://dify.example',
  access: OPEN_ACCESS,
  suggestions: false,
  formsInChat: true,
};
const input = { query: '报销流程是什么？', user: 'wecom:aib:zhangsan', conversationId: undefined };
const CHAT_FAMILY: DifyAppMode[] = ['chat', 'agent-chat', 'advanced-chat', 'agent'];

describe('buildRunRequest', () => {
  it.each(CHAT_FAMILY)('posts a %s app to /chat-messages, streaming, as a new conversation', (mode) => {
    expect(buildRunRequest(agent, mode, input)).toEqual({
      path: '/chat-messages',
      body: {
        inputs: { lang: 'zh' },
        query: '报销流程是什么？',
        response_mode: 'streaming',
        user: 'wecom:aib:zhangsan',
        conversation_id: '',
      },
    });
  });

  it('continues a known conversation', () => {
    const id = '6513270e-269e-4d37-b2a7-4de452e6b438';
    expect(buildRunRequest(agent, 'chat', { ...input, conversationId: id }).body['conversation_id']).toBe(id);
  });

  it('always sends inputs to a chat app, even empty ones (Dify rejects a missing key)', () => {
    expect(buildRunRequest({ ...agent, inputs: {} }, 'advanced-chat', input).body['inputs']).toEqual({});
  });

  it('puts the question of a workflow app into its query variable', () => {
    expect(buildRunRequest(agent, 'workflow', { ...input, conversationId: 'ignored' })).toEqual({
      path: '/workflows/run',
      body: {
        inputs: { lang: 'zh', question: '报销流程是什么？' },
        response_mode: 'streaming',
        user: 'wecom:aib:zhangsan',
      },
    });
  });

  it('posts a completion app to /completion-messages with the question as input and query, without a conversation', () => {
    expect(buildRunRequest(agent, 'completion', { ...input, conversationId: 'ignored' })).toEqual({
      path: '/completion-messages',
      body: {
        inputs: { lang: 'zh', question: '报销流程是什么？' },
        query: '报销流程是什么？',
        response_mode: 'streaming',
        user: 'wecom:aib:zhangsan',
      },
    });
  });

  it("does not change the agent's configured inputs", () => {
    const inputs = Object.freeze({ lang: 'zh', question: 'preset' });
    const request = buildRunRequest({ ...agent, inputs }, 'workflow', input);
    expect(request.body['inputs']).toEqual({ lang: 'zh', question: '报销流程是什么？' });
    expect(inputs).toEqual({ lang: 'zh', question: 'preset' });
  });
});

describe('stopPath (dify-api.md §6.2)', () => {
  it.each(CHAT_FAMILY)('stops a %s app through /chat-messages', (mode) => {
    expect(stopPath(mode, 'task-1')).toBe('/chat-messages/task-1/stop');
  });

  it('stops workflow and completion apps through their own endpoints', () => {
    expect(stopPath('workflow', 'task-1')).toBe('/workflows/tasks/task-1/stop');
    expect(stopPath('completion', 'task-1')).toBe('/completion-messages/task-1/stop');
  });

  it('escapes the task id so it cannot change the path', () => {
    expect(stopPath('chat', '../x?y')).toBe('/chat-messages/..%2Fx%3Fy/stop');
  });
});

describe('hasConversations', () => {
  it('is true for the chat family only', () => {
    expect(CHAT_FAMILY.map(hasConversations)).toEqual([true, true, true, true]);
    expect([hasConversations('workflow'), hasConversations('completion')]).toEqual([false, false]);
  });
});
