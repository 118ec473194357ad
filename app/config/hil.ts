import { type Env, type Problems, hideSecret, readInt, readJsonObject, readString } from './readers';

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
}

function readApiKeys(env: Env, problems: Problems): Map<string, string> {
  const keys = new Map<string, string>();
  const raw = readJsonObject(env, 'HIL_API_KEYS', problems);
  for (const [name, key] of Object.entries(raw ?? {})) {
    if (typeof key !== 'string' || key.length < 16) {
      problems.add(`HIL_API_KEYS.${name} must be a string of at least 16 characters`);
      continue;
    }
    keys.set(name, key);
  }
  return keys;
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
  };
  hideSecret(config, 'apiKeys', readApiKeys(env, problems));
  hideSecret(config, 'secretKey', secretKey);
  return config as HilConfig;
}
