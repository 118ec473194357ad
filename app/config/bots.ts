import { decodeEncodingAesKey, isValidEncodingAesKey } from '../crypto/aesKey';
import { type Env, Problems, hideSecret, readJsonObject, readList, readString } from './readers';
import { type BotExtras, type WsBotConfig, readMentionNames, readWsBot } from './wsBots';

export type { WsBotConfig } from './wsBots';

/** What every bot has, whichever channel it talks over: the services need only this. */
export interface BotProfile {
  /** The `:botid` path segment (callback) or the WECOM_BOTS key (websocket); `*` for the default bot. */
  readonly key: string;
  /** Names users type after `@` in groups; stripped from the question (§5.2). */
  readonly mentionNames: readonly string[];
  /** Answer to enter_chat (§6.1); undefined = no welcome (an empty reply). */
  readonly welcome: string | undefined;
  /** Welcome as a card built from the Dify app's opening statement and suggested questions (§7). */
  readonly welcomeCard: boolean;
}

/**
 * One WeCom AI bot's callback credentials. `token` and `aesKey` are non-enumerable so that logging
 * or serialising the config never prints them.
 */
export interface BotConfig extends BotProfile {
  readonly token: string;
  /** The 32-byte AES key decoded once from the 43-character EncodingAESKey. */
  readonly aesKey: Buffer;
  /** `""` for AI bots (wecom-aibot-protocol.md §2.3); a CorpID for classic app callbacks. */
  readonly receiveId: string;
}

export interface BotsConfig {
  /** Callback bots listed in WECOM_BOTS, by path segment. */
  readonly byKey: ReadonlyMap<string, BotConfig>;
  /** The WECOM_TOKEN bot, which answers every path segment not listed (as the seed service did). */
  readonly fallback: BotConfig | undefined;
  /** Long-connection bots listed in WECOM_BOTS with `mode: "websocket"`, by key (§12). */
  readonly websocket: ReadonlyMap<string, WsBotConfig>;
}

function makeBot(key: string, token: string, encodingAesKey: string, receiveId: string, extras: BotExtras): BotConfig {
  const bot = { key, receiveId, mentionNames: Object.freeze([...extras.mentionNames]), welcome: extras.welcome, welcomeCard: extras.welcomeCard };
  hideSecret(bot, 'token', token);
  hideSecret(bot, 'aesKey', decodeEncodingAesKey(encodingAesKey));
  return Object.freeze(bot) as unknown as BotConfig;
}

function checkCredentials(label: string, token: unknown, key: unknown, problems: Problems): key is string {
  let ok = true;
  if (typeof token !== 'string' || token.trim() === '') {
    problems.add(`${label}: token is required`);
    ok = false;
  }
  if (typeof key !== 'string' || !isValidEncodingAesKey(key)) {
    const got = typeof key === 'string' ? ` (got ${key.length} characters)` : '';
    problems.add(`${label}: EncodingAESKey must be 43 characters of [A-Za-z0-9]${got}`);
    ok = false;
  }
  return ok;
}

function readDefaultBot(env: Env, problems: Problems): BotConfig | undefined {
  const token = readString(env, 'WECOM_TOKEN');
  const key = readString(env, 'WECOM_ENCODING_AES_KEY');
  if (token === undefined && key === undefined) return undefined;
  if (!checkCredentials('WECOM_TOKEN/WECOM_ENCODING_AES_KEY', token, key, problems)) return undefined;
  const extras = {
    mentionNames: readList(env, 'WECOM_BOT_NAME'),
    welcome: readString(env, 'WECOM_WELCOME_TEXT'),
    welcomeCard: ['1', 'true', 'yes', 'on'].includes(readString(env, 'WECOM_WELCOME_CARD')?.toLowerCase() ?? ''),
  };
  return makeBot('*', token as string, key, readString(env, 'WECOM_RECEIVE_ID') ?? '', extras);
}

function readCallbackBot(key: string, e: Record<string, unknown>, problems: Problems): BotConfig | undefined {
  const label = `WECOM_BOTS["${key}"]`;
  if (!checkCredentials(label, e['token'], e['encodingAesKey'], problems)) return undefined;
  const receiveId = typeof e['receiveId'] === 'string' ? e['receiveId'] : '';
  const welcome = typeof e['welcome'] === 'string' && e['welcome'].trim() !== '' ? e['welcome'] : undefined;
  return makeBot(key, e['token'] as string, e['encodingAesKey'] as string, receiveId, { mentionNames: readMentionNames(e['botName']), welcome, welcomeCard: e['welcomeCard'] === true });
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
  if (new Set(ids).size !== ids.length) problems.add('WECOM_BOTS: two websocket bots have the same botId (WeCom keeps one connection per bot, so they would kick each other)');
  return Object.freeze({ byKey, fallback, websocket });
}
