import { AES_KEY_A, AES_KEY_B, config, configError } from './configTestHelpers';

const aesKeyOf = (encodingAesKey: string): Buffer => Buffer.from(`${encodingAesKey}=`, 'base64');

describe('loadConfig: the default bot (WECOM_TOKEN, WECOM_ENCODING_AES_KEY)', () => {
  it('builds the bot answering every unlisted :botid, with its decoded 32-byte key', () => {
    const bot = config({ WECOM_TOKEN: ' tok-1 ', WECOM_ENCODING_AES_KEY: AES_KEY_A }).bots.fallback;
    expect(bot).toMatchObject({ key: '*', token: 'tok-1', receiveId: '', mentionNames: [] });
    expect(bot?.aesKey).toHaveLength(32);
    expect(bot?.aesKey.equals(aesKeyOf(AES_KEY_A))).toBe(true);
  });

  it('reads WECOM_RECEIVE_ID and a comma-separated WECOM_BOT_NAME', () => {
    const env = {
      WECOM_TOKEN: 't',
      WECOM_ENCODING_AES_KEY: AES_KEY_A,
      WECOM_RECEIVE_ID: 'ww0123',
      WECOM_BOT_NAME: 'RobotA, 项目开发管理助手 ,',
    };
    const bot = config(env).bots.fallback;
    expect(bot?.receiveId).toBe('ww0123');
    expect(bot?.mentionNames).toEqual(['RobotA', '项目开发管理助手']);
  });

  it('keeps a bot name that contains a space', () => {
    const bot = config({ WECOM_TOKEN: 't', WECOM_ENCODING_AES_KEY: AES_KEY_A, WECOM_BOT_NAME: 'My Bot' }).bots.fallback;
    expect(bot?.mentionNames).toEqual(['My Bot']);
  });

  it('requires the token when only the key is set', () => {
    expect(configError({ WECOM_ENCODING_AES_KEY: AES_KEY_A }).problems).toEqual([
      'WECOM_TOKEN/WECOM_ENCODING_AES_KEY: token is required',
    ]);
  });

  it('requires the key when only the token is set', () => {
    expect(configError({ WECOM_TOKEN: 't' }).problems).toEqual([
      'WECOM_TOKEN/WECOM_ENCODING_AES_KEY: EncodingAESKey must be 43 characters of [A-Za-z0-9]',
    ]);
  });

  it.each([
    ['42 characters', AES_KEY_A.slice(0, 42), 42],
    ['44 characters', `${AES_KEY_A}x`, 44],
    ['a non-alphanumeric character', `${AES_KEY_A.slice(0, 42)}+`, 43],
  ])('rejects a key of %s, giving only its length', (_label, key, length) => {
    expect(configError({ WECOM_TOKEN: 't', WECOM_ENCODING_AES_KEY: key }).problems).toEqual([
      `WECOM_TOKEN/WECOM_ENCODING_AES_KEY: EncodingAESKey must be 43 characters of [A-Za-z0-9] (got ${length} characters)`,
    ]);
  });
});

describe('loadConfig: WECOM_BOTS', () => {
  const bots = (value: unknown): string => JSON.stringify(value);

  it('adds each listed bot under its :botid path segment', () => {
    const c = config({
      WECOM_BOTS: bots({
        sales: { token: 'tok-s', encodingAesKey: AES_KEY_A, botName: '销售助手' },
        'hr.bot_2': { token: 'tok-h', encodingAesKey: AES_KEY_B, receiveId: 'corp', botName: ['HR Bot', ' 人事 '] },
      }),
    });
    expect([...c.bots.byKey.keys()]).toEqual(['sales', 'hr.bot_2']);
    expect(c.bots.byKey.get('sales')).toMatchObject({
      key: 'sales',
      token: 'tok-s',
      receiveId: '',
      mentionNames: ['销售助手'],
    });
    expect(c.bots.byKey.get('hr.bot_2')).toMatchObject({
      key: 'hr.bot_2',
      token: 'tok-h',
      receiveId: 'corp',
      mentionNames: ['HR Bot', '人事'],
    });
    expect(c.bots.byKey.get('hr.bot_2')?.aesKey.equals(aesKeyOf(AES_KEY_B))).toBe(true);
    expect(c.bots.fallback).toBeUndefined();
  });

  it('drops blank and non-string bot names', () => {
    const c = config({
      WECOM_BOTS: bots({ b: { token: 't', encodingAesKey: AES_KEY_A, botName: ['', '  ', 3, null, 'Bot'] } }),
    });
    expect(c.bots.byKey.get('b')?.mentionNames).toEqual(['Bot']);
  });

  it('has no mention names when botName is absent or blank', () => {
    const c = config({
      WECOM_BOTS: bots({
        a: { token: 't', encodingAesKey: AES_KEY_A },
        b: { token: 't', encodingAesKey: AES_KEY_A, botName: ' ' },
      }),
    });
    expect(c.bots.byKey.get('a')?.mentionNames).toEqual([]);
    expect(c.bots.byKey.get('b')?.mentionNames).toEqual([]);
  });

  it('lives alongside the default bot', () => {
    const c = config({
      WECOM_TOKEN: 't0',
      WECOM_ENCODING_AES_KEY: AES_KEY_A,
      WECOM_BOTS: bots({ x: { token: 't1', encodingAesKey: AES_KEY_B } }),
    });
    expect(c.bots.fallback?.token).toBe('t0');
    expect(c.bots.byKey.get('x')?.token).toBe('t1');
  });

  it('reports each broken entry by its key', () => {
    const problems = configError({
      WECOM_BOTS: bots({
        a: { encodingAesKey: AES_KEY_A },
        b: { token: 't', encodingAesKey: 'short' },
        c: 'not an object',
        d: [1],
      }),
    }).problems;
    expect(problems).toEqual([
      'WECOM_BOTS["a"]: token is required',
      'WECOM_BOTS["b"]: EncodingAESKey must be 43 characters of [A-Za-z0-9] (got 5 characters)',
      'WECOM_BOTS["c"] must be an object {token, encodingAesKey} or {mode: "websocket", botId, secret}',
      'WECOM_BOTS["d"] must be an object {token, encodingAesKey} or {mode: "websocket", botId, secret}',
    ]);
  });

  it.each(['bad/key', 'has space', '', 'x'.repeat(65)])(
    'rejects the bot key %p, which is not a safe path segment',
    (key) => {
      const problems = configError({ WECOM_BOTS: bots({ [key]: { token: 't', encodingAesKey: AES_KEY_A } }) }).problems;
      expect(problems).toEqual([expect.stringMatching(/^WECOM_BOTS: bot key must be 1-64 characters/)]);
    },
  );

  it.each([
    ['not JSON', '{sales: 1', 'WECOM_BOTS is not valid JSON'],
    ['an array', '[]', 'WECOM_BOTS must be a JSON object'],
    ['a string', '"x"', 'WECOM_BOTS must be a JSON object'],
    ['null', 'null', 'WECOM_BOTS must be a JSON object'],
  ])('rejects WECOM_BOTS that is %s', (_label, value, problem) => {
    expect(configError({ WECOM_BOTS: value }).problems).toEqual([problem]);
  });
});
