import { DEFAULT_AGENT_ID } from '../../../app/config/agents';
import { config, configError } from './configTestHelpers';

const agents = (value: unknown): string => JSON.stringify(value);

describe('loadConfig: the default agent (DIFY_API_BASE_URL, DIFY_API_KEY, DIFY_APP_MODE)', () => {
  it('uses Dify Cloud when only the key is set', () => {
    const agent = config({ DIFY_API_KEY: ' app-key ' }).agents.byId.get(DEFAULT_AGENT_ID);
    expect(agent).toMatchObject({
      id: 'default',
      baseUrl: 'https://api.dify.ai/v1',
      apiKey: 'app-key',
      mode: undefined,
    });
    expect(agent).toMatchObject({ inputs: {}, queryVariable: 'query', outputKey: undefined });
  });

  it('drops the trailing slash of the base URL and reads the mode', () => {
    const agent = config({
      DIFY_API_BASE_URL: 'http://dify.local:8080/v1/',
      DIFY_API_KEY: 'k',
      DIFY_APP_MODE: 'workflow',
    }).agents.byId.get('default');
    expect(agent).toMatchObject({ baseUrl: 'http://dify.local:8080/v1', mode: 'workflow' });
  });

  it('defines no agent when the key is missing', () => {
    expect(config({ DIFY_API_BASE_URL: 'https://dify.example/v1' }).agents.byId.size).toBe(0);
  });

  it.each([
    ['not a URL', 'dify.example/v1', 'DIFY_API_BASE_URL/DIFY_API_KEY baseUrl must be an http(s) URL'],
    ['not http(s)', 'ftp://dify.example/v1', 'DIFY_API_BASE_URL/DIFY_API_KEY baseUrl must be an http(s) URL'],
    [
      'with credentials',
      'https://u:p@dify.example/v1',
      'DIFY_API_BASE_URL/DIFY_API_KEY baseUrl must not contain credentials',
    ],
  ])('rejects a base URL %s', (_label, url, problem) => {
    expect(configError({ DIFY_API_BASE_URL: url, DIFY_API_KEY: 'k' }).problems).toEqual([problem]);
  });

  it('rejects an unknown DIFY_APP_MODE, listing the modes', () => {
    expect(configError({ DIFY_API_KEY: 'k', DIFY_APP_MODE: 'chatbot' }).problems).toEqual([
      'DIFY_API_BASE_URL/DIFY_API_KEY: mode must be one of chat, agent-chat, advanced-chat, agent, workflow, completion',
    ]);
  });
});

describe('loadConfig: DIFY_AGENTS', () => {
  it('reads every field of an entry', () => {
    const c = config({
      DIFY_AGENTS: agents({
        report: {
          baseUrl: 'https://d.example/v1',
          apiKey: 'app-r',
          mode: 'workflow',
          inputs: { lang: 'zh', n: 3 },
          queryVariable: 'question',
          outputKey: 'summary',
        },
        chat: { baseUrl: 'https://d.example/v1/', apiKey: 'app-c' },
      }),
    });
    expect(c.agents.byId.get('report')).toMatchObject({
      id: 'report',
      baseUrl: 'https://d.example/v1',
      apiKey: 'app-r',
      mode: 'workflow',
      inputs: { lang: 'zh', n: 3 },
      queryVariable: 'question',
      outputKey: 'summary',
    });
    expect(c.agents.byId.get('chat')).toMatchObject({
      baseUrl: 'https://d.example/v1',
      mode: undefined,
      queryVariable: 'query',
      inputs: {},
    });
  });

  it('accepts every Dify app mode', () => {
    const modes = ['chat', 'agent-chat', 'advanced-chat', 'agent', 'workflow', 'completion'];
    const entries = Object.fromEntries(
      modes.map((mode) => [mode, { baseUrl: 'https://d.example/v1', apiKey: 'k', mode }]),
    );
    const byId = config({ DIFY_AGENTS: agents(entries) }).agents.byId;
    expect(modes.map((m) => byId.get(m)?.mode)).toEqual(modes);
  });

  it('reports every mistake of an entry', () => {
    const problems = configError({
      DIFY_AGENTS: agents({ x: { mode: 'bot', inputs: [], queryVariable: 1, outputKey: false } }),
    }).problems;
    expect(problems).toEqual([
      'DIFY_AGENTS["x"]: baseUrl is required',
      'DIFY_AGENTS["x"]: apiKey is required',
      'DIFY_AGENTS["x"]: mode must be one of chat, agent-chat, advanced-chat, agent, workflow, completion',
      'DIFY_AGENTS["x"]: inputs must be an object',
      'DIFY_AGENTS["x"]: queryVariable must be a string',
      'DIFY_AGENTS["x"]: outputKey must be a string',
    ]);
  });

  it('rejects an entry that is not an object, and a blank apiKey', () => {
    const problems = configError({
      DIFY_AGENTS: agents({ a: 'app-key', b: { baseUrl: 'https://d.example/v1', apiKey: '  ' } }),
    }).problems;
    expect(problems).toEqual([
      'DIFY_AGENTS["a"] must be an object {baseUrl, apiKey}',
      'DIFY_AGENTS["b"]: apiKey is required',
    ]);
  });

  it('makes a DIFY_AGENTS "default" entry the default agent', () => {
    const c = config({ DIFY_AGENTS: agents({ default: { baseUrl: 'https://d.example/v1', apiKey: 'k' } }) });
    expect(c.agents.byId.get(DEFAULT_AGENT_ID)?.baseUrl).toBe('https://d.example/v1');
  });

  it('rejects a default agent defined twice', () => {
    const env = {
      DIFY_API_KEY: 'k',
      DIFY_AGENTS: agents({ default: { baseUrl: 'https://d.example/v1', apiKey: 'k2' } }),
    };
    expect(configError(env).problems).toEqual([
      'DIFY_AGENTS["default"] is also defined by DIFY_API_KEY; define the default agent in one place',
    ]);
  });

  it('rejects DIFY_AGENTS that is not a JSON object', () => {
    expect(configError({ DIFY_AGENTS: '{"a":' }).problems).toEqual(['DIFY_AGENTS is not valid JSON']);
    expect(configError({ DIFY_AGENTS: '["a"]' }).problems).toEqual(['DIFY_AGENTS must be a JSON object']);
  });
});

describe('loadConfig: WECOM_AIBOT_AGENT_MAPPING', () => {
  const sales = { sales: { baseUrl: 'https://d.example/v1', apiKey: 'k' } };

  it('maps aibotids to defined agents, trimming the agent id', () => {
    const c = config({
      DIFY_AGENTS: agents(sales),
      WECOM_AIBOT_AGENT_MAPPING: agents({ aibA: ' sales ', aibB: 'default' }),
    });
    expect([...c.agents.mapping]).toEqual([
      ['aibA', 'sales'],
      ['aibB', 'default'],
    ]);
  });

  it('allows mapping to "default" even before the default agent is configured (a warning, not an error)', () => {
    expect(config({ WECOM_AIBOT_AGENT_MAPPING: agents({ aibA: 'default' }) }).agents.mapping.get('aibA')).toBe(
      'default',
    );
  });

  it('rejects a mapping to an agent nobody defined', () => {
    const problems = configError({
      DIFY_AGENTS: agents(sales),
      WECOM_AIBOT_AGENT_MAPPING: agents({ aibA: 'sales', aibB: 'ghost' }),
    }).problems;
    expect(problems).toEqual([
      'WECOM_AIBOT_AGENT_MAPPING["aibB"] names agent "ghost", which DIFY_AGENTS does not define',
    ]);
  });

  it('rejects a mapping value that is not an agent id string', () => {
    const problems = configError({ WECOM_AIBOT_AGENT_MAPPING: agents({ a: 1, b: '' }) }).problems;
    expect(problems).toEqual([
      'WECOM_AIBOT_AGENT_MAPPING["a"] must be an agent id string',
      'WECOM_AIBOT_AGENT_MAPPING["b"] must be an agent id string',
    ]);
  });

  it('rejects a mapping that is not a JSON object', () => {
    expect(configError({ WECOM_AIBOT_AGENT_MAPPING: 'aibA=sales' }).problems).toEqual([
      'WECOM_AIBOT_AGENT_MAPPING is not valid JSON',
    ]);
  });
});

describe('loadConfig: Human Input forms in the chat (formsInChat, DIFY_FORMS_IN_CHAT)', () => {
  it('is on unless turned off, for the default agent and per agent', () => {
    const base = { baseUrl: 'https://d.example/v1', apiKey: 'k' };
    const on = config({ DIFY_API_KEY: 'k', DIFY_AGENTS: agents({ a: base, b: { ...base, formsInChat: false } }) });
    expect(['default', 'a', 'b'].map((id) => on.agents.byId.get(id)?.formsInChat)).toEqual([true, true, false]);
    const off = config({ DIFY_API_KEY: 'k', DIFY_FORMS_IN_CHAT: 'false' });
    expect(off.agents.byId.get('default')?.formsInChat).toBe(false);
  });

  it('rejects a formsInChat that is no boolean', () => {
    const problems = configError({
      DIFY_AGENTS: agents({ x: { baseUrl: 'https://d.example/v1', apiKey: 'k', formsInChat: 'yes' } }),
    }).problems;
    expect(problems).toEqual(['DIFY_AGENTS["x"]: formsInChat must be true or false']);
  });
});
