import { fillInputs } from '../../../../app/services/dify/inputPlaceholders';
import { buildRunRequest } from '../../../../app/services/dify/runRequest';
import type { AgentConfig } from '../../../../app/config';

const GROUP = {
  userid: 'zhangsan',
  chatid: 'wrkSFfCgAAxxxx',
  chattype: 'group' as const,
  bot: 'helpdesk',
  aibotid: 'aibXXXX',
  msgid: 'msg-1',
};

describe('placeholders in an agent’s inputs', () => {
  it('fills every known placeholder in strings, nested ones too, and leaves the rest alone', () => {
    const inputs = {
      user: '{{userid}}',
      where: '{{ chattype }}:{{chatid}} via {{bot}} ({{aibotid}}) #{{msgid}}',
      nested: { list: ['{{userid}}', 3, true, null], keep: '{{unknown}} and {single}' },
      lang: 'zh',
    };
    expect(fillInputs(inputs, GROUP)).toEqual({
      user: 'zhangsan',
      where: 'group:wrkSFfCgAAxxxx via helpdesk (aibXXXX) #msg-1',
      nested: { list: ['zhangsan', 3, true, null], keep: '{{unknown}} and {single}' },
      lang: 'zh',
    });
    expect(inputs.user).toBe('{{userid}}');
  });

  it('gives an empty chat id in a single chat, and changes nothing without an asker', () => {
    const single = { ...GROUP, chattype: 'single' as const, chatid: undefined };
    expect(fillInputs({ chat: '[{{chatid}}]' }, single)).toEqual({ chat: '[]' });
    expect(fillInputs({ chat: '{{chatid}}' }, undefined)).toEqual({ chat: '{{chatid}}' });
  });

  it('reaches every app mode’s request body', () => {
    const agent = { inputs: { who: '{{userid}}' }, queryVariable: 'query' } as unknown as AgentConfig;
    const input = { query: '你好', user: 'wecom:u', conversationId: undefined, asker: GROUP };
    for (const mode of ['chat', 'workflow', 'completion'] as const)
      expect(buildRunRequest(agent, mode, input).body['inputs']).toMatchObject({ who: 'zhangsan' });
  });
});
