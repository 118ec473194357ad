import { DEFAULT_TEXTS } from '../../../app/config/texts';
import { loadConfig } from '../../../app/config';
import { AES_KEY_A, config, configError } from './configTestHelpers';

describe('loadConfig: defaults with an empty env', () => {
  const { config: c, warnings } = loadConfig({});

  it('starts without any variable set', () => {
    expect(c.server).toEqual({ port: 15000, host: '0.0.0.0' });
    expect(c.stream).toEqual({ windowMs: 330_000, ttlMs: 900_000, showThinking: true });
    expect(c.dify).toEqual({ idleTimeoutMs: 60_000, turnTimeoutMs: 900_000, retryMax: 2, retryBaseMs: 1000 });
    expect(c.conversation).toEqual({ groupScope: 'group' });
    expect(c.logLevel).toBe('info');
    expect(c.texts).toEqual(DEFAULT_TEXTS);
  });

  it('has no bot, no agent and no mapping', () => {
    expect(c.bots.fallback).toBeUndefined();
    expect(c.bots.byKey.size).toBe(0);
    expect(c.agents.byId.size).toBe(0);
    expect(c.agents.mapping.size).toBe(0);
  });

  it('warns about the missing bot, agent and people-in-the-loop key, naming the variables to set', () => {
    expect(warnings).toHaveLength(3);
    expect(warnings.find((w) => w.includes('HIL_API_KEYS'))).toEqual(expect.stringContaining('FIRST_SUPERUSER'));
    expect(warnings.find((w) => w.includes('WECOM_TOKEN'))).toEqual(expect.stringContaining('WECOM_ENCODING_AES_KEY'));
    expect(warnings.find((w) => w.includes('DIFY_API_KEY'))).toEqual(expect.stringContaining('DIFY_API_BASE_URL'));
  });
});

describe('loadConfig: warnings', () => {
  const hil = { HIL_API_KEYS: JSON.stringify({ agents: 'k'.repeat(16) }) };
  const bot = { WECOM_TOKEN: 'tok', WECOM_ENCODING_AES_KEY: AES_KEY_A, ...hil };

  it('gives no warning when a bot and the default agent are configured', () => {
    expect(loadConfig({ ...bot, DIFY_API_KEY: 'app-x' }).warnings).toEqual([]);
  });

  it('counts a WECOM_BOTS entry as a configured bot', () => {
    const env = {
      ...hil,
      DIFY_API_KEY: 'app-x',
      WECOM_BOTS: JSON.stringify({ b1: { token: 't', encodingAesKey: AES_KEY_A } }),
    };
    expect(loadConfig(env).warnings).toEqual([]);
  });

  it('warns that unmapped bots have no agent when DIFY_AGENTS has no default', () => {
    const env = { ...bot, DIFY_AGENTS: JSON.stringify({ sales: { baseUrl: 'https://d.example/v1', apiKey: 'k' } }) };
    const { warnings } = loadConfig(env);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('WECOM_AIBOT_AGENT_MAPPING');
  });
});

describe('loadConfig: numbers', () => {
  it('reads values in range, trimming spaces', () => {
    const c = config({
      PORT: ' 8080 ',
      HOST: ' 127.0.0.1 ',
      WECOM_STREAM_WINDOW_SECONDS: '300',
      STREAM_TTL_SECONDS: '600',
    });
    expect(c.server).toEqual({ port: 8080, host: '127.0.0.1' });
    expect([c.stream.windowMs, c.stream.ttlMs]).toEqual([300_000, 600_000]);
  });

  it('accepts the bounds themselves', () => {
    expect(config({ PORT: '0' }).server.port).toBe(0);
    expect(config({ PORT: '65535' }).server.port).toBe(65535);
    expect(config({ WECOM_STREAM_WINDOW_SECONDS: '355' }).stream.windowMs).toBe(355_000);
    expect(config({ DIFY_RETRY_MAX: '0', DIFY_RETRY_BASE_MS: '0' }).dify).toMatchObject({
      retryMax: 0,
      retryBaseMs: 0,
    });
  });

  it.each([
    ['PORT', '65536'],
    ['WECOM_STREAM_WINDOW_SECONDS', '356'],
    ['WECOM_STREAM_WINDOW_SECONDS', '4'],
    ['STREAM_TTL_SECONDS', '59'],
    ['DIFY_IDLE_TIMEOUT_SECONDS', '0'],
    ['DIFY_TURN_TIMEOUT_SECONDS', '3601'],
    ['DIFY_RETRY_MAX', '11'],
    ['DIFY_RETRY_BASE_MS', '60001'],
  ])('rejects %s=%s as out of range', (name, value) => {
    expect(configError({ [name]: value }).problems).toEqual([
      expect.stringMatching(new RegExp(`^${name} must be between`)),
    ]);
  });

  it.each(['abc', '-1', '8080.5', '1e3', '0x10'])('rejects PORT=%s as not a whole number', (value) => {
    expect(configError({ PORT: value }).problems).toEqual(['PORT must be a whole number between 0 and 65535']);
  });

  it('requires the stream TTL to outlast the stream window', () => {
    const problems = configError({ WECOM_STREAM_WINDOW_SECONDS: '300', STREAM_TTL_SECONDS: '300' }).problems;
    expect(problems).toEqual(['STREAM_TTL_SECONDS must be longer than WECOM_STREAM_WINDOW_SECONDS']);
  });

  it('treats a blank value as unset', () => {
    expect(config({ PORT: '   ', HOST: '' }).server).toEqual({ port: 15000, host: '0.0.0.0' });
  });
});

describe('loadConfig: booleans and enums', () => {
  it.each(['false', 'FALSE', '0', 'no', 'off', ' Off '])('reads WECOM_SHOW_THINKING=%p as false', (value) => {
    expect(config({ WECOM_SHOW_THINKING: value }).stream.showThinking).toBe(false);
  });

  it.each(['true', 'True', '1', 'yes', 'on'])('reads WECOM_SHOW_THINKING=%p as true', (value) => {
    expect(config({ WECOM_SHOW_THINKING: value }).stream.showThinking).toBe(true);
  });

  it('rejects a boolean that is neither', () => {
    expect(configError({ WECOM_SHOW_THINKING: 'maybe' }).problems).toEqual([
      'WECOM_SHOW_THINKING must be true or false',
    ]);
  });

  it('reads the group conversation scope, the log level and the log format', () => {
    const c = config({ WECOM_GROUP_CONVERSATION_SCOPE: 'member', LOG_LEVEL: 'debug', LOG_FORMAT: 'pretty' });
    expect([c.conversation.groupScope, c.logLevel, c.logFormat]).toEqual(['member', 'debug', 'pretty']);
    expect(config({}).logFormat).toBe('auto');
  });

  it('rejects unknown enum values, listing the allowed ones', () => {
    const problems = configError({
      WECOM_GROUP_CONVERSATION_SCOPE: 'everyone',
      LOG_LEVEL: 'verbose',
      LOG_FORMAT: 'xml',
    }).problems;
    expect(problems).toEqual([
      'WECOM_GROUP_CONVERSATION_SCOPE must be one of group, member',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
      'LOG_FORMAT must be one of auto, json, pretty',
    ]);
  });
});

describe('loadConfig: user-facing texts', () => {
  it('applies TEXT_<KEY> overrides and keeps the other defaults', () => {
    const c = config({ TEXT_THINKING: '🤔 稍等…', TEXT_TIMEOUT: 'Timed out.' });
    expect(c.texts).toEqual({ ...DEFAULT_TEXTS, THINKING: '🤔 稍等…', TIMEOUT: 'Timed out.' });
  });

  it('ignores a blank override so a typo cannot blank a notice', () => {
    expect(config({ TEXT_THINKING: '   ', TEXT_TRUNCATED: '' }).texts).toEqual(DEFAULT_TEXTS);
  });

  it('ignores TEXT_ variables that name no text', () => {
    expect(Object.keys(config({ TEXT_NOT_A_KEY: 'x' }).texts).sort()).toEqual(Object.keys(DEFAULT_TEXTS).sort());
  });
});

describe('loadConfig: the config is frozen', () => {
  const c = config({
    WECOM_TOKEN: 'tok',
    WECOM_ENCODING_AES_KEY: AES_KEY_A,
    WECOM_BOT_NAME: 'RobotA',
    DIFY_AGENTS: JSON.stringify({ default: { baseUrl: 'https://d.example/v1', apiKey: 'k', inputs: { lang: 'zh' } } }),
  });

  it('freezes the config and every nested object', () => {
    const agent = c.agents.byId.get('default');
    const nested: unknown[] = [c, c.server, c.stream, c.dify, c.conversation, c.texts, c.bots, c.agents];
    nested.push(c.bots.fallback, c.bots.fallback?.mentionNames, agent, agent?.inputs);
    for (const value of nested) {
      expect(value).toBeDefined();
      expect(Object.isFrozen(value)).toBe(true);
    }
  });

  it('throws on assignment instead of silently changing the config', () => {
    expect(() => {
      (c.server as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(() => {
      (c.texts as Record<string, string>)['THINKING'] = 'x';
    }).toThrow(TypeError);
  });
});
