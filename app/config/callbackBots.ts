import { decodeEncodingAesKey, isValidEncodingAesKey } from '../crypto/aesKey';
import { type BotExtras, type BotProfile, readMentionNames } from './botProfile';
import { type Env, type Problems, hideSecret, readList, readString } from './readers';

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

function makeBot(key: string, token: string, encodingAesKey: string, receiveId: string, extras: BotExtras): BotConfig {
  const bot = {
    key,
    receiveId,
    mentionNames: Object.freeze([...extras.mentionNames]),
    welcome: extras.welcome,
    welcomeCard: extras.welcomeCard,
  };
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

export function readDefaultBot(env: Env, problems: Problems): BotConfig | undefined {
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

export function readCallbackBot(key: string, e: Record<string, unknown>, problems: Problems): BotConfig | undefined {
  const label = `WECOM_BOTS["${key}"]`;
  if (!checkCredentials(label, e['token'], e['encodingAesKey'], problems)) return undefined;
  const receiveId = typeof e['receiveId'] === 'string' ? e['receiveId'] : '';
  const welcome = typeof e['welcome'] === 'string' && e['welcome'].trim() !== '' ? e['welcome'] : undefined;
  return makeBot(key, e['token'] as string, e['encodingAesKey'] as string, receiveId, {
    mentionNames: readMentionNames(e['botName']),
    welcome,
    welcomeCard: e['welcomeCard'] === true,
  });
}
