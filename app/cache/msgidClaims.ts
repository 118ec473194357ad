import { LRUCache } from 'lru-cache';

/**
 * Dedupe of WeCom message callbacks by msgid (wecom-aibot-protocol.md §15.7): the first callback of a
 * msgid claims it with a new stream id; a retry gets that stream id back and starts nothing.
 */
export type ClaimResult = { readonly won: true } | { readonly won: false; readonly streamId: string };

export interface MsgidClaims {
  claim(key: string, streamId: string): Promise<ClaimResult>;
}

export class MemoryMsgidClaims implements MsgidClaims {
  private readonly claims: LRUCache<string, string>;

  constructor(opts: { ttlMs: number; max?: number }) {
    this.claims = new LRUCache<string, string>({ max: opts.max ?? 100_000, ttl: opts.ttlMs });
  }

  claim(key: string, streamId: string): Promise<ClaimResult> {
    const existing = this.claims.get(key);
    if (existing !== undefined) return Promise.resolve({ won: false, streamId: existing });
    this.claims.set(key, streamId);
    return Promise.resolve({ won: true });
  }
}
