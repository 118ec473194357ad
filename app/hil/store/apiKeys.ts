import { createHash, randomBytes } from 'node:crypto';

/**
 * API keys made through the admin API (hil.md §2.9 "Client keys"). The key's name is the owner of the
 * requests made with it (HilRequest.owner). Only SHA-256 of a key is stored: the plain key is shown once,
 * when it is made. Keys from HIL_API_KEYS never reach this store.
 */
export interface ApiKeyInfo {
  readonly id: string;
  readonly name: string;
  /** The key's first characters, to tell keys apart in a list without revealing them. */
  readonly keyPrefix: string;
  readonly active: boolean;
  /** The operator's e-mail who made it. */
  readonly createdBy: string | null;
  /** ms since epoch. */
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

export type CreatedApiKey =
  | { readonly ok: true; readonly key: string; readonly info: ApiKeyInfo }
  | { readonly ok: false; readonly reason: 'duplicate_name' };

export interface ApiKeys {
  /** Makes a key; `duplicate_name` when a key (active or revoked) already has this name. */
  create(name: string, createdBy: string | null, now?: number): Promise<CreatedApiKey>;
  /** Every key, newest first, without hashes. */
  list(): Promise<ApiKeyInfo[]>;
  byId(id: string): Promise<ApiKeyInfo | undefined>;
  /** Deactivates the key (idempotent: a revoked key is returned as it is); undefined when unknown. */
  revoke(id: string, now?: number): Promise<ApiKeyInfo | undefined>;
  /** The name of the active key with this SHA-256 (hex), else undefined. */
  findActiveByHash(hash: string): Promise<string | undefined>;
}

/** What a made key starts with, so a leaked one is recognisable in logs and secret scanners. */
export const API_KEY_PREFIX = 'ghl_';
export const KEY_PREFIX_LENGTH = 8;

/** 32 random bytes, like the hub's `secrets.token_urlsafe(32)`, behind our recognisable prefix. */
export function newApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

/** The stored form of a key: SHA-256, hex. A key has 256 random bits, so no slow hash is needed. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
