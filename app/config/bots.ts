import { type BotConfig, readCallbackBot, readDefaultBot } from './callbackBots';
import { type Env, type Problems, readJsonObject } from './readers';
import { type WsBotConfig, readWsBot } from './wsBots';

export interface BotsConfig {
  /** Callback bots listed in WECOM_BOTS, by path segment. */
  readonly byKey: ReadonlyMap<string, BotConfig>;
  /** The WECOM_TOKEN bot, which answers every path segment not listed (as the seed service did). */
  readonly fallback: BotConfig | undefined;
  /** Long-connection bots listed in WECOM_BOTS with `mode: "websocket"`, by key (§12). */
  readonly websocket: ReadonlyMap<string, WsBotConfig>;
}

/** `mode` picks the channel: "callback" (default: token + EncodingAESKey) or "websocket" (botId + secret, §12). */
function readListedEntry(key: string, entry: unknown, problems: Problems): Record<string, unknown> | undefined {
  const label = `WECOM_BOTS["${key}"]`;
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(key)) {
    problems.add(`WECOM_BOTS: bot key must be 1-64 characters of [A-Za-z0-9_.-] (it is the URL path segment)`);
    return undefined;
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    problems.add(`${label} must be an object {token, encodingAesKey} or {mode: "websocket", botId, secret}`);
    return undefined;
  }
  const e = entry as Record<string, unknown>;
  if (e['mode'] !== undefined && e['mode'] !== 'callback' && e['mode'] !== 'websocket') {
    problems.add(`${label}: mode must be "callback" or "websocket"`);
    return undefined;
  }
  return e;
}

export function readBots(env: Env, problems: Problems): BotsConfig {
  const fallback = readDefaultBot(env, problems);
  const byKey = new Map<string, BotConfig>();
  const websocket = new Map<string, WsBotConfig>();
  const listed = readJsonObject(env, 'WECOM_BOTS', problems) ?? {};
  for (const [key, entry] of Object.entries(listed)) {
    const e = readListedEntry(key, entry, problems);
    if (e === undefined) continue;
    const bot = e['mode'] === 'websocket' ? readWsBot(key, e, problems) : readCallbackBot(key, e, problems);
    if (bot === undefined) continue;
    if ('botId' in bot) websocket.set(key, bot);
    else byKey.set(key, bot);
  }
  const ids = [...websocket.values()].map((bot) => bot.botId);
  if (new Set(ids).size !== ids.length)
    problems.add(
      'WECOM_BOTS: two websocket bots have the same botId (WeCom keeps one connection per bot, so they would kick each other)',
    );
  return Object.freeze({ byKey, fallback, websocket });
}
