import {
  type Env,
  type Problems,
  hideSecret,
  readBool,
  readInt,
  readJsonObject,
  readList,
  readString,
} from './readers';

/** People in the loop (issue #13): API keys, expiry, the bot that asks, and the admin API's operator. */
export interface HilConfig {
  /** Keys from HIL_API_KEYS, by name (secret: not enumerable). Keys made in the admin API live in the store. */
  readonly apiKeys: ReadonlyMap<string, string>;
  /** A request nobody answered becomes `expired` after this long (or its `metadata.timeout` seconds). */
  readonly requestTtlMs: number;
  /** The WECOM_BOTS key that asks when a request names no `metadata.bot`; undefined = the only bot. */
  readonly defaultBot: string | undefined;
  /** How often open requests past their time are expired (also checked on every status poll). */
  readonly expirySweepMs: number;
  /** HS256 key of the admin API's tokens (secret); undefined = generated once and kept in the store. */
  readonly secretKey: string | undefined;
  /** The first operator, created at start when missing (password secret). */
  readonly firstSuperuser: { readonly email: string; readonly password: string } | undefined;
  readonly accessTokenTtlMs: number;
  /**
   * What HIL_API_KEYS says of a key beside the key itself, by name: the chat a tool call without
   * `chat_id` asks in, and the secret its interaction webhooks are signed with (secret: not enumerable).
   */
  readonly keySettings: ReadonlyMap<string, KeySettings>;
  /** The secret path of the hil-mcp HIL-server API (`/hil/<token>/api/*`, hil.md §4.3); undefined = off. */
  readonly mcpPathToken: string | undefined;
  /** Whether interaction webhooks may go to private and loopback addresses (tests, an intranet receiver). */
  readonly callbackAllowPrivateNetworks: boolean;
  /**
   * The waits between attempts of an interaction webhook (HIL_CALLBACK_RETRY_DELAYS_MS): after the last
   * one fails the delivery is given up, so there are length + 1 attempts.
   */
  readonly callbackRetryDelaysMs: readonly number[];
  /** The remote MCP endpoint's timings and bounds: fixed (MCP_DEFAULTS), not read from the environment. */
  readonly mcp: McpSettings;
}

/** The remote MCP endpoint (issue #15 scope 2, POST|GET|DELETE /mcp); tests shorten the times. */
export interface McpSettings {
  /**
   * How often a waiting tool call sends notifications/progress when its caller gave a progress token:
   * well inside the MCP TypeScript SDK's 60 s request timeout (hil-clients.md "The MCP TypeScript SDK client").
   */
  readonly progressMs: number;
  /** A session that made no request for this long, and runs no tool call, is closed. */
  readonly sessionIdleMs: number;
  /** Sessions kept by one instance; a new one past this closes the longest idle session, if one is idle. */
  readonly maxSessions: number;
}

export const MCP_DEFAULTS: McpSettings = { progressMs: 15_000, sessionIdleMs: 60 * 60_000, maxSessions: 1000 };

/** A key's extras (issue #15): `HIL_API_KEYS={"name": {"key": "…", "defaultChat": "…", "webhookSecret": "…"}}`. */
export interface KeySettings {
  /** A WeCom chatid or userid, optionally `single:`/`group:`/`<bot>/` prefixed (hilChats.ts). */
  readonly defaultChat: string | undefined;
  /** HMAC-SHA256 key of X-Hub-Signature-256; a key given as a plain string signs with itself. */
  readonly webhookSecret: string;
}

function readKeyEntry(
  name: string,
  entry: unknown,
  problems: Problems,
): { key: string; settings: KeySettings } | undefined {
  const object = typeof entry === 'object' && entry !== null && !Array.isArray(entry);
  const fields = object ? (entry as Record<string, unknown>) : { key: entry };
  const { key, defaultChat, webhookSecret } = fields;
  if (typeof key !== 'string' || key.length < 16) {
    problems.add(`HIL_API_KEYS.${name} must be a key of at least 16 characters, or {"key": …}`);
    return undefined;
  }
  if (defaultChat !== undefined && (typeof defaultChat !== 'string' || defaultChat.trim() === ''))
    problems.add(`HIL_API_KEYS.${name}.defaultChat must be a chat id or userid`);
  if (webhookSecret !== undefined && (typeof webhookSecret !== 'string' || webhookSecret.length < 16))
    problems.add(`HIL_API_KEYS.${name}.webhookSecret must have at least 16 characters`);
  const settings = {
    defaultChat: typeof defaultChat === 'string' && defaultChat.trim() !== '' ? defaultChat.trim() : undefined,
  };
  hideSecret(settings, 'webhookSecret', typeof webhookSecret === 'string' ? webhookSecret : key);
  return { key, settings: settings as KeySettings };
}

function readApiKeys(env: Env, problems: Problems): { keys: Map<string, string>; settings: Map<string, KeySettings> } {
  const keys = new Map<string, string>();
  const settings = new Map<string, KeySettings>();
  const raw = readJsonObject(env, 'HIL_API_KEYS', problems);
  for (const [name, entry] of Object.entries(raw ?? {})) {
    const read = readKeyEntry(name, entry, problems);
    if (read === undefined) continue;
    keys.set(name, read.key);
    settings.set(name, read.settings);
  }
  return { keys, settings };
}

function readPathToken(env: Env, problems: Problems): string | undefined {
  const token = readString(env, 'HIL_MCP_PATH_TOKEN');
  if (token !== undefined && !/^[A-Za-z0-9_-]{16,128}$/.test(token))
    problems.add('HIL_MCP_PATH_TOKEN must be 16–128 characters of A-Z a-z 0-9 _ -');
  return token;
}

/** 1 s, 5 s, 30 s, 2 min, 10 min, 30 min, 1 h: eight attempts over about 1 h 45 min. */
const DEFAULT_RETRY_DELAYS_MS = [1000, 5000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000];
/** A receiver that is down is not hammered, whatever the setting says; a day is the longest wait. */
const RETRY_DELAY_FLOOR_MS = 100;
const RETRY_DELAY_CEILING_MS = 86_400_000;

function readRetryDelays(env: Env, problems: Problems): readonly number[] {
  const listed = readList(env, 'HIL_CALLBACK_RETRY_DELAYS_MS');
  if (listed.length === 0) return DEFAULT_RETRY_DELAYS_MS;
  const delays = listed.map(Number);
  const fits = (ms: number): boolean =>
    Number.isInteger(ms) && ms >= RETRY_DELAY_FLOOR_MS && ms <= RETRY_DELAY_CEILING_MS;
  if (delays.length > 20 || !delays.every(fits)) {
    problems.add(
      `HIL_CALLBACK_RETRY_DELAYS_MS must list at most 20 waits in ms, each ${RETRY_DELAY_FLOOR_MS}–${RETRY_DELAY_CEILING_MS}`,
    );
    return DEFAULT_RETRY_DELAYS_MS;
  }
  return delays;
}

function readFirstSuperuser(env: Env, problems: Problems): HilConfig['firstSuperuser'] {
  const email = readString(env, 'FIRST_SUPERUSER');
  const password = readString(env, 'FIRST_SUPERUSER_PASSWORD');
  if (email === undefined && password === undefined) return undefined;
  if (email === undefined || password === undefined) {
    problems.add('FIRST_SUPERUSER and FIRST_SUPERUSER_PASSWORD are set together');
    return undefined;
  }
  if (password.length < 8) problems.add('FIRST_SUPERUSER_PASSWORD must have at least 8 characters');
  return hideSecret({ email }, 'password', password);
}

export function readHil(env: Env, problems: Problems): HilConfig {
  const secretKey = readString(env, 'SECRET_KEY');
  if (secretKey !== undefined && secretKey.length < 32) problems.add('SECRET_KEY must have at least 32 characters');
  const config = {
    requestTtlMs: readInt(env, 'HIL_REQUEST_TTL_SECONDS', 86400, 10, 30 * 86400, problems) * 1000,
    defaultBot: readString(env, 'HIL_DEFAULT_BOT'),
    expirySweepMs: readInt(env, 'HIL_EXPIRY_SWEEP_SECONDS', 10, 1, 3600, problems) * 1000,
    firstSuperuser: readFirstSuperuser(env, problems),
    accessTokenTtlMs: readInt(env, 'ACCESS_TOKEN_EXPIRE_MINUTES', 60 * 24 * 8, 1, 60 * 24 * 365, problems) * 60_000,
    callbackAllowPrivateNetworks: readBool(env, 'HIL_CALLBACK_ALLOW_PRIVATE_NETWORKS', false, problems),
    callbackRetryDelaysMs: readRetryDelays(env, problems),
    mcp: MCP_DEFAULTS,
  };
  const { keys, settings } = readApiKeys(env, problems);
  hideSecret(config, 'apiKeys', keys);
  hideSecret(config, 'keySettings', settings);
  hideSecret(config, 'mcpPathToken', readPathToken(env, problems));
  hideSecret(config, 'secretKey', secretKey);
  return config as HilConfig;
}
