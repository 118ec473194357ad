import { ConfigError, loadConfig } from '../../../app/config';
import {
  AES_KEY_A,
  AES_KEY_B,
  config,
  configError,
  configTexts,
  errorTexts,
  expectNoSecret,
} from './configTestHelpers';

describe('loadConfig: every problem in one ConfigError', () => {
  const env = {
    PORT: 'eighty',
    WECOM_STREAM_WINDOW_SECONDS: '999',
    WECOM_SHOW_THINKING: 'maybe',
    LOG_LEVEL: 'verbose',
    WECOM_GROUP_CONVERSATION_SCOPE: 'everyone',
    WECOM_TOKEN: 'tok',
    WECOM_ENCODING_AES_KEY: 'short',
    WECOM_BOTS: '{not json',
    DIFY_API_BASE_URL: 'ftp://dify.example/v1',
    DIFY_API_KEY: 'app-k',
    DIFY_AGENTS: JSON.stringify({ x: { apiKey: 'k' } }),
    WECOM_AIBOT_AGENT_MAPPING: JSON.stringify({ aibA: 'ghost' }),
    DIFY_RETRY_MAX: '11',
  };

  it('lists all eleven mistakes at once, each naming its variable', () => {
    const error = configError(env);
    expect(error.name).toBe('ConfigError');
    const expected = [
      'PORT must be a whole number',
      'WECOM_STREAM_WINDOW_SECONDS must be between 5 and 355',
      'WECOM_SHOW_THINKING must be true or false',
      'LOG_LEVEL must be one of',
      'WECOM_GROUP_CONVERSATION_SCOPE must be one of',
      'WECOM_TOKEN/WECOM_ENCODING_AES_KEY: EncodingAESKey',
      'WECOM_BOTS is not valid JSON',
      'DIFY_API_BASE_URL/DIFY_API_KEY baseUrl must be an http(s) URL',
      'DIFY_AGENTS["x"]: baseUrl is required',
      'WECOM_AIBOT_AGENT_MAPPING["aibA"] names agent "ghost"',
      'DIFY_RETRY_MAX must be between 0 and 10',
    ];
    expect(error.problems).toHaveLength(expected.length);
    for (const start of expected) expect(error.problems).toContainEqual(expect.stringContaining(start));
  });

  it('puts every problem on its own line of the message', () => {
    const error = configError(env);
    expect(error.message.split('\n')).toEqual(['Invalid configuration:', ...error.problems.map((p) => `- ${p}`)]);
  });
});

describe('secrets never reach a log', () => {
  const TOKEN = 'tok-SECRET-d2f8a1c9e7b4';
  const BOT_TOKEN = 'tok-LISTED-SECRET-77a3c1';
  const API_KEY = 'app-SECRETKEY-f00dfeedbead';
  const AGENT_KEY = 'app-AGENTKEY-5e5e5e5e5e5e';

  it('keeps tokens, AES keys and API keys out of JSON.stringify and util.inspect of the config', () => {
    const c = config({
      WECOM_TOKEN: TOKEN,
      WECOM_ENCODING_AES_KEY: AES_KEY_A,
      WECOM_BOTS: JSON.stringify({ b: { token: BOT_TOKEN, encodingAesKey: AES_KEY_B } }),
      DIFY_API_KEY: API_KEY,
      DIFY_AGENTS: JSON.stringify({ sales: { baseUrl: 'https://d.example/v1', apiKey: AGENT_KEY } }),
    });
    const texts = [
      ...configTexts(c),
      JSON.stringify(c.bots.fallback),
      JSON.stringify([...c.bots.byKey.values()]),
      JSON.stringify([...c.agents.byId.values()]),
    ];
    for (const secret of [TOKEN, BOT_TOKEN, API_KEY, AGENT_KEY, AES_KEY_A, AES_KEY_B]) expectNoSecret(texts, secret);
    for (const aesKey of [c.bots.fallback?.aesKey, c.bots.byKey.get('b')?.aesKey]) {
      for (const text of texts) expect(text).not.toContain(aesKey?.toString('hex') ?? 'missing key');
    }
    // …while the code can still read them.
    expect([c.bots.fallback?.token, c.bots.byKey.get('b')?.token]).toEqual([TOKEN, BOT_TOKEN]);
    expect([c.agents.byId.get('default')?.apiKey, c.agents.byId.get('sales')?.apiKey]).toEqual([API_KEY, AGENT_KEY]);
  });

  it('does not quote a 41-character EncodingAESKey in the error', () => {
    const key41 = AES_KEY_B.slice(0, 41);
    const error = configError({ WECOM_TOKEN: TOKEN, WECOM_ENCODING_AES_KEY: key41 });
    expect(error.problems).toEqual([expect.stringContaining('(got 41 characters)')]);
    for (const secret of [TOKEN, key41]) expectNoSecret(errorTexts(error), secret);
  });

  it('does not quote a malformed WECOM_BOTS that contains a token and a key', () => {
    const raw = `{"b": {"token": "${BOT_TOKEN}", "encodingAesKey": "${AES_KEY_A}"`;
    const error = configError({ WECOM_BOTS: raw });
    for (const secret of [BOT_TOKEN, AES_KEY_A]) expectNoSecret(errorTexts(error), secret);
  });

  it('does not quote the secrets of a WECOM_BOTS entry with a bad key', () => {
    const error = configError({
      WECOM_BOTS: JSON.stringify({ b: { token: BOT_TOKEN, encodingAesKey: `${AES_KEY_A}=` } }),
    });
    for (const secret of [BOT_TOKEN, AES_KEY_A]) expectNoSecret(errorTexts(error), secret);
  });

  it('does not quote the apiKey of a bad DIFY_AGENTS entry', () => {
    const error = configError({
      DIFY_AGENTS: JSON.stringify({
        a: { apiKey: AGENT_KEY, baseUrl: 'not a url', mode: 'bogus' },
        b: { apiKey: API_KEY, inputs: 'x' },
        c: { apiKey: TOKEN, baseUrl: `https://admin:${TOKEN}@d.example/v1` },
      }),
    });
    expect(error.problems.length).toBeGreaterThanOrEqual(5);
    for (const secret of [AGENT_KEY, API_KEY, TOKEN]) expectNoSecret(errorTexts(error), secret);
  });

  it('does not quote a DIFY_AGENTS value that is not JSON', () => {
    const error = configError({ DIFY_AGENTS: `{"a": {"apiKey": "${AGENT_KEY}", }` });
    expectNoSecret(errorTexts(error), AGENT_KEY);
  });

  it('does not quote a DIFY_API_BASE_URL that carries credentials', () => {
    const error = configError({ DIFY_API_BASE_URL: `https://ops:${TOKEN}@dify.example/v1`, DIFY_API_KEY: API_KEY });
    for (const secret of [TOKEN, API_KEY]) expectNoSecret(errorTexts(error), secret);
  });

  it('throws a ConfigError, not a crypto error, for a key of the right length but a bad character', () => {
    expect(() => loadConfig({ WECOM_TOKEN: 't', WECOM_ENCODING_AES_KEY: `${AES_KEY_A.slice(0, 42)}_` })).toThrow(
      ConfigError,
    );
  });
});
