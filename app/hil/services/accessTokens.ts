import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { HilConfig } from '../../config/hil';
import type { Settings } from '../store/settings';

/** The setting that holds the generated key when SECRET_KEY is unset. */
export const SECRET_KEY_SETTING = 'secret_key';

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
const SEGMENT = /^[A-Za-z0-9_-]+$/;

function decodeJson(segment: string): unknown {
  if (!SEGMENT.test(segment)) return undefined;
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The admin API's bearer tokens (hil.md §2.9: the hub's `POST /login/access-token` JWT, HS256,
 * `{sub, exp}`), with node:crypto only. The key is SECRET_KEY or, unset, one generated and kept in the
 * store's settings, shared by every instance.
 */
export class AccessTokens {
  private key: Promise<Buffer> | undefined;

  constructor(
    private readonly config: HilConfig,
    private readonly settings: Settings,
  ) {}

  /** A token for the operator id, valid `config.accessTokenTtlMs` from `now`. */
  async sign(subject: string, now = Date.now()): Promise<string> {
    const exp = Math.floor((now + this.config.accessTokenTtlMs) / 1000);
    const payload = Buffer.from(JSON.stringify({ sub: subject, exp })).toString('base64url');
    const signature = createHmac('sha256', await this.secret())
      .update(`${HEADER}.${payload}`)
      .digest('base64url');
    return `${HEADER}.${payload}.${signature}`;
  }

  /**
   * The subject of a valid token, else undefined: the header must say HS256 (a token saying `none` or
   * another algorithm is refused whatever its signature), the signature must match, exp must be ahead.
   */
  async verify(token: string, now = Date.now()): Promise<string | undefined> {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [header, payload, signature] = parts as [string, string, string];
    const head = decodeJson(header);
    if (!isObject(head) || head['alg'] !== 'HS256') return undefined;
    if (!SEGMENT.test(signature)) return undefined;
    const expected = createHmac('sha256', await this.secret())
      .update(`${header}.${payload}`)
      .digest();
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const claims = decodeJson(payload);
    if (!isObject(claims)) return undefined;
    const { sub, exp } = claims;
    if (typeof sub !== 'string' || sub === '' || typeof exp !== 'number' || !Number.isFinite(exp)) return undefined;
    return exp * 1000 > now ? sub : undefined;
  }

  private secret(): Promise<Buffer> {
    // A failed read (the store was down) is not kept: the next request tries again.
    this.key ??= this.loadSecret().catch((err: unknown) => {
      this.key = undefined;
      throw err;
    });
    return this.key;
  }

  private async loadSecret(): Promise<Buffer> {
    const configured = this.config.secretKey;
    const value =
      configured ?? (await this.settings.getOrCreate(SECRET_KEY_SETTING, () => randomBytes(32).toString('base64url')));
    return Buffer.from(value, 'utf8');
  }
}
