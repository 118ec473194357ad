import { type BotProfile, readMentionNames } from './botProfile';
import { type Env, type Problems, hideSecret, readInt } from './readers';

/** WeCom's long-connection address (wecom-aibot-protocol.md §12); private deployments have their own. */
export const DEFAULT_WS_URL = 'wss://openws.work.weixin.qq.com';

/**
 * A bot on the AI bot's WebSocket long connection (§12): the gateway connects out with the bot id and
 * secret, so no public callback URL is needed. `secret` is non-enumerable, like the callback keys.
 */
export interface WsBotConfig extends BotProfile {
  readonly botId: string;
  readonly secret: string;
  readonly wsUrl: string;
}

/** Settings shared by every websocket bot. */
export interface WebsocketConfig {
  /** At least this long between two stream frames of one answer ("a few frames a second", only when changed). */
  readonly frameIntervalMs: number;
  readonly heartbeatMs: number;
  /** First reconnect delay; the SDK doubles it per attempt up to 30 s. */
  readonly reconnectBaseMs: number;
  /** Failed subscribes (wrong id/secret) in a row before the bot gives up; subscribing is rate-protected (§12). */
  readonly maxAuthFailures: number;
  /** How long a reply waits for a dropped connection to come back before it is given up. */
  readonly sendWaitMs: number;
  /** How often an instance on standby (another one holds the bot's connection) asks for it again. */
  readonly leaseRetryMs: number;
  /** WeCom's per-conversation limits on the messages a bot sends (§12): 30 a minute, 1000 an hour. */
  readonly messagesPerMinute: number;
  readonly messagesPerHour: number;
}

function readWsUrl(label: string, value: unknown, problems: Problems): string | undefined {
  if (value === undefined) return DEFAULT_WS_URL;
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value.trim()) : undefined;
  } catch {
    url = undefined;
  }
  if (
    url === undefined ||
    (url.protocol !== 'ws:' && url.protocol !== 'wss:') ||
    url.username !== '' ||
    url.password !== ''
  ) {
    problems.add(`${label}: wsUrl must be a ws:// or wss:// URL without credentials`);
    return undefined;
  }
  return url.toString();
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** `{mode: "websocket", botId, secret, wsUrl?, botName?, welcome?, welcomeCard?}` from WECOM_BOTS. */
export function readWsBot(key: string, e: Record<string, unknown>, problems: Problems): WsBotConfig | undefined {
  const label = `WECOM_BOTS["${key}"]`;
  const missing = [nonEmpty(e['botId']) ? undefined : 'botId', nonEmpty(e['secret']) ? undefined : 'secret'].filter(
    (m) => m !== undefined,
  );
  for (const name of missing) problems.add(`${label}: ${name} is required for a websocket bot`);
  const wsUrl = readWsUrl(label, e['wsUrl'], problems);
  if (missing.length > 0 || wsUrl === undefined) return undefined;
  const welcome = nonEmpty(e['welcome']) ? e['welcome'] : undefined;
  const bot = {
    key,
    botId: (e['botId'] as string).trim(),
    wsUrl,
    mentionNames: Object.freeze(readMentionNames(e['botName'])),
    welcome,
    welcomeCard: e['welcomeCard'] === true,
  };
  hideSecret(bot, 'secret', (e['secret'] as string).trim());
  return Object.freeze(bot) as unknown as WsBotConfig;
}

export function readWebsocket(env: Env, problems: Problems): WebsocketConfig {
  return {
    frameIntervalMs: readInt(env, 'WECOM_WS_FRAME_INTERVAL_MS', 500, 100, 10_000, problems),
    heartbeatMs: readInt(env, 'WECOM_WS_HEARTBEAT_SECONDS', 30, 5, 300, problems) * 1000,
    reconnectBaseMs: readInt(env, 'WECOM_WS_RECONNECT_BASE_MS', 1000, 10, 60_000, problems),
    maxAuthFailures: readInt(env, 'WECOM_WS_MAX_AUTH_FAILURES', 5, 1, 100, problems),
    sendWaitMs: readInt(env, 'WECOM_WS_SEND_WAIT_SECONDS', 60, 1, 3600, problems) * 1000,
    leaseRetryMs: readInt(env, 'WECOM_WS_STANDBY_RETRY_SECONDS', 5, 1, 300, problems) * 1000,
    messagesPerMinute: readInt(env, 'WECOM_WS_MESSAGES_PER_MINUTE', 30, 1, 10_000, problems),
    messagesPerHour: readInt(env, 'WECOM_WS_MESSAGES_PER_HOUR', 1000, 1, 100_000, problems),
  };
}
