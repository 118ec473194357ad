import { loadConfig } from '../../../app/config';
import { ConfigError } from '../../../app/config';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

describe('loadConfig: people in the loop', () => {
  it('has defaults: a day to answer, no keys, no operator, a generated secret', () => {
    const { hil } = loadConfig({}).config;
    expect(hil.requestTtlMs).toBe(86_400_000);
    expect(hil.apiKeys.size).toBe(0);
    expect(hil.firstSuperuser).toBeUndefined();
    expect(hil.secretKey).toBeUndefined();
    expect(hil.defaultBot).toBeUndefined();
  });

  it('reads keys by name and the first operator, and keeps every secret out of JSON and logs', () => {
    const env = {
      HIL_API_KEYS: JSON.stringify({ agents: 'agents-key-0123456789' }),
      FIRST_SUPERUSER: 'ops@example.com',
      FIRST_SUPERUSER_PASSWORD: 'pass-word-1',
      SECRET_KEY: 's'.repeat(40),
      HIL_REQUEST_TTL_SECONDS: '600',
      HIL_DEFAULT_BOT: '*',
      WECOM_TOKEN: 'tok',
      WECOM_ENCODING_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
    };
    const { hil } = loadConfig(env).config;
    expect(hil.apiKeys.get('agents')).toBe('agents-key-0123456789');
    expect(hil.firstSuperuser).toMatchObject({ email: 'ops@example.com', password: 'pass-word-1' });
    expect(hil.requestTtlMs).toBe(600_000);
    expect(hil.defaultBot).toBe('*');
    const shown = JSON.stringify(hil);
    for (const secret of ['agents-key-0123456789', 'pass-word-1', 's'.repeat(40)]) expect(shown).not.toContain(secret);
  });

  it('names each problem without quoting a value', () => {
    const problems = problemsOf({
      HIL_API_KEYS: JSON.stringify({ short: 'abc', wrong: 5, obj: { key: 'k'.repeat(20), webhookSecret: 'x' } }),
      HIL_MCP_PATH_TOKEN: 'short/token',
      FIRST_SUPERUSER: 'ops@example.com',
      SECRET_KEY: 'too-short-secret',
      HIL_REQUEST_TTL_SECONDS: '1',
      HIL_DEFAULT_BOT: 'nobody',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'HIL_API_KEYS.short must be a key of at least 16 characters, or {"key": …}',
        'HIL_API_KEYS.wrong must be a key of at least 16 characters, or {"key": …}',
        'HIL_API_KEYS.obj.webhookSecret must have at least 16 characters',
        'HIL_MCP_PATH_TOKEN must be 16–128 characters of A-Z a-z 0-9 _ -',
        'FIRST_SUPERUSER and FIRST_SUPERUSER_PASSWORD are set together',
        'SECRET_KEY must have at least 32 characters',
        'HIL_DEFAULT_BOT must be a key of WECOM_BOTS, or * for the default bot',
      ]),
    );
    expect(problems.some((p) => p.startsWith('HIL_REQUEST_TTL_SECONDS'))).toBe(true);
    expect(problems.join(' ')).not.toContain('too-short-secret');
  });

  it('reads a key entry with its default chat and webhook secret; a plain key signs with itself', () => {
    const env = {
      HIL_API_KEYS: JSON.stringify({
        plain: 'plain-key-0123456789',
        rich: { key: 'rich-key-0123456789', defaultChat: ' wrkGroup1 ', webhookSecret: 'hook-secret-0123456789' },
      }),
      HIL_MCP_PATH_TOKEN: 'path-token-0123456789',
    };
    const { hil } = loadConfig(env).config;
    expect(hil.apiKeys.get('rich')).toBe('rich-key-0123456789');
    expect(hil.keySettings.get('rich')).toMatchObject({
      defaultChat: 'wrkGroup1',
      webhookSecret: 'hook-secret-0123456789',
    });
    expect(hil.keySettings.get('plain')).toMatchObject({
      defaultChat: undefined,
      webhookSecret: 'plain-key-0123456789',
    });
    expect(hil.mcpPathToken).toBe('path-token-0123456789');
    const shown = JSON.stringify(hil);
    for (const secret of ['hook-secret', 'plain-key', 'path-token']) expect(shown).not.toContain(secret);
  });
  it('reads the webhook retry waits with a floor, eight attempts over about 1 h 45 min by default', () => {
    expect(loadConfig({}).config.hil.callbackRetryDelaysMs).toEqual([
      1000, 5000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000,
    ]);
    expect(loadConfig({ HIL_CALLBACK_RETRY_DELAYS_MS: '200, 1000' }).config.hil.callbackRetryDelaysMs).toEqual([
      200, 1000,
    ]);
    for (const bad of ['50', 'soon', '1000,-1', Array(21).fill('1000').join(',')])
      expect(problemsOf({ HIL_CALLBACK_RETRY_DELAYS_MS: bad })).toEqual([
        expect.stringContaining('HIL_CALLBACK_RETRY_DELAYS_MS must list at most 20 waits'),
      ]);
  });
});
