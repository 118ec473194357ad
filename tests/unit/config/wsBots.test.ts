import { loadConfig } from '../../../app/config';
import { DEFAULT_WS_URL } from '../../../app/config/wsBots';
import { AES_KEY_A, config, configError, configTexts, errorTexts } from './configTestHelpers';

const bots = (listed: Record<string, unknown>): { WECOM_BOTS: string } => ({ WECOM_BOTS: JSON.stringify(listed) });

describe('loadConfig: websocket bots (WECOM_BOTS mode "websocket", wecom-aibot-protocol.md §12)', () => {
  it('reads botId, secret and the default WeCom address, next to a callback bot', () => {
    const c = config(
      bots({
        ws1: { mode: 'websocket', botId: ' aib-1 ', secret: 's3cret', botName: '助手', welcome: '你好' },
        cb: { token: 't', encodingAesKey: AES_KEY_A },
      }),
    );
    const ws = c.bots.websocket.get('ws1');
    expect(ws).toMatchObject({
      key: 'ws1',
      botId: 'aib-1',
      secret: 's3cret',
      wsUrl: DEFAULT_WS_URL,
      mentionNames: ['助手'],
      welcome: '你好',
      welcomeCard: false,
    });
    expect(c.bots.byKey.has('cb')).toBe(true);
    expect(c.bots.byKey.has('ws1')).toBe(false);
  });

  it('takes a ws:// or wss:// wsUrl (private deployments, tests)', () => {
    expect(
      config(
        bots({ ws1: { mode: 'websocket', botId: 'a', secret: 's', wsUrl: 'ws://127.0.0.1:9000' } }),
      ).bots.websocket.get('ws1')?.wsUrl,
    ).toBe('ws://127.0.0.1:9000/');
  });

  it('never shows the secret: not in JSON, inspect or errors', () => {
    const c = config(bots({ ws1: { mode: 'websocket', botId: 'a', secret: 'very-secret-value' } }));
    for (const text of configTexts(c)) expect(text).not.toContain('very-secret-value');
    const error = configError(
      bots({ ws1: { mode: 'websocket', botId: 'a', secret: 'very-secret-value', wsUrl: 'https://x' } }),
    );
    for (const text of errorTexts(error)) expect(text).not.toContain('very-secret-value');
  });

  it('lists every missing or wrong field', () => {
    expect(configError(bots({ ws1: { mode: 'websocket', wsUrl: 'http://example.com' } })).problems).toEqual([
      'WECOM_BOTS["ws1"]: botId is required for a websocket bot',
      'WECOM_BOTS["ws1"]: secret is required for a websocket bot',
      'WECOM_BOTS["ws1"]: wsUrl must be a ws:// or wss:// URL without credentials',
    ]);
    expect(configError(bots({ x: { mode: 'long', token: 't' } })).problems).toEqual([
      'WECOM_BOTS["x"]: mode must be "callback" or "websocket"',
    ]);
  });

  it('refuses two websocket bots with the same botId: they would kick each other', () => {
    expect(
      configError(
        bots({
          a: { mode: 'websocket', botId: 'same', secret: 's' },
          b: { mode: 'websocket', botId: 'same', secret: 't' },
        }),
      ).problems,
    ).toEqual([
      'WECOM_BOTS: two websocket bots have the same botId (WeCom keeps one connection per bot, so they would kick each other)',
    ]);
  });

  it('reads the shared websocket settings with their defaults', () => {
    expect(config({}).websocket).toEqual({
      frameIntervalMs: 500,
      heartbeatMs: 30_000,
      reconnectBaseMs: 1000,
      maxAuthFailures: 5,
      sendWaitMs: 60_000,
      leaseRetryMs: 5000,
      messagesPerMinute: 30,
      messagesPerHour: 1000,
    });
    expect(config({ WECOM_WS_FRAME_INTERVAL_MS: '250', WECOM_WS_MESSAGES_PER_MINUTE: '20' }).websocket).toMatchObject({
      frameIntervalMs: 250,
      messagesPerMinute: 20,
    });
    expect(configError({ WECOM_WS_FRAME_INTERVAL_MS: '10' }).problems).toEqual([
      'WECOM_WS_FRAME_INTERVAL_MS must be between 100 and 10000 (got 10)',
    ]);
  });

  it('does not warn that no bot is configured when only a websocket bot is', () => {
    const { warnings } = loadConfig(bots({ ws1: { mode: 'websocket', botId: 'a', secret: 's' } }));
    expect(warnings.some((w) => w.startsWith('No WeCom bot configured'))).toBe(false);
  });
});
