import { createHash, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { HilConfig } from '../../config/hil';
import type { ApiKeys } from '../store/apiKeys';

export interface ApiKeyAuthOptions {
  /** How long a store lookup (found or not) is reused; a revoke on another instance takes this long. */
  readonly cacheTtlMs?: number;
  readonly cacheMax?: number;
  /** The cache's clock (ms), for tests. */
  readonly now?: () => number;
}

const DEFAULT_CACHE_TTL_MS = 30_000;
const DEFAULT_CACHE_MAX = 10_000;
/** Far longer than any key of ours or of HIL_API_KEYS: a huge header is not worth hashing. */
const MAX_KEY_LENGTH = 512;
const BEARER = /^bearer[ \t]+(\S+)[ \t]*$/i;

/** `null` = no active key has this hash (a cached negative answer). */
interface Cached {
  readonly name: string | null;
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/**
 * Who a GoHumanLoop client is (hil.md §2.2, §2.10 rule 2): `Authorization: Bearer <key>` names an API key,
 * whose name owns the requests. Keys of HIL_API_KEYS are compared in constant time; keys made in the
 * admin API are looked up by SHA-256. A client polls `/status` every few seconds per request (§2.5), so
 * store answers, found or not, are kept for a while.
 */
export class ApiKeyAuth {
  private readonly envKeys: { readonly name: string; readonly digest: Buffer }[];
  private readonly cache: LRUCache<string, Cached>;

  constructor(
    config: HilConfig,
    private readonly store: Pick<ApiKeys, 'findActiveByHash'>,
    options: ApiKeyAuthOptions = {},
  ) {
    this.envKeys = [...config.apiKeys].map(([name, key]) => ({ name, digest: digest(key) }));
    this.cache = new LRUCache<string, Cached>({
      max: options.cacheMax ?? DEFAULT_CACHE_MAX,
      ttl: options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS,
      ...(options.now === undefined ? {} : { perf: { now: options.now }, ttlResolution: 0 }),
    });
  }

  /** The key's name, or undefined for no header, another scheme, or an unknown or revoked key. */
  async identify(authorization: string | undefined): Promise<string | undefined> {
    const key = BEARER.exec(authorization ?? '')?.[1];
    if (key === undefined || key.length > MAX_KEY_LENGTH) return undefined;
    const hash = digest(key);
    const fromEnv = this.fromEnv(hash);
    if (fromEnv !== undefined) return fromEnv;
    const hex = hash.toString('hex');
    const cached = this.cache.get(hex);
    if (cached !== undefined) return cached.name ?? undefined;
    const name = await this.store.findActiveByHash(hex);
    this.cache.set(hex, { name: name ?? null });
    return name;
  }

  /** Whether HIL_API_KEYS has a key of this name (a stored key must not take it). */
  isEnvName(name: string): boolean {
    return this.envKeys.some((entry) => entry.name === name);
  }

  /** Forgets every store answer: after a revoke through this instance, the key stops working at once. */
  clear(): void {
    this.cache.clear();
  }

  private fromEnv(hash: Buffer): string | undefined {
    // Every key is compared, so the time does not tell which one (or whether one) matched.
    let found: string | undefined;
    for (const entry of this.envKeys) {
      if (timingSafeEqual(hash, entry.digest) && found === undefined) found = entry.name;
    }
    return found;
  }
}
