import { LRUCache } from 'lru-cache';
import type { ChatAddress } from '../channel';
import type { Reachability } from './reachability';

/** A response_url works for an hour (§9); ours are handed out only while well inside it. */
const FRESH_MS = 55 * 60 * 1000;
const MAX_CHATS = 10_000;

function keyOf(address: ChatAddress): string {
  return `${address.botKey}|${address.chattype}|${address.chatid}`;
}

/**
 * The newest unused response_url each chat of a callback bot left us (hil.md §7.2 path 2). Only URLs
 * nothing else needs are offered: a message's once its answer finished in the stream, a card click's
 * when no turn reserved it. Taking one removes it, since each works once. Per instance and in memory:
 * a URL seen by another instance is not known here.
 */
export class ResponseUrlBook {
  private readonly fresh = new LRUCache<string, { url: string; expiresAt: number }>({ max: MAX_CHATS });

  constructor(
    private readonly now: () => number,
    private readonly reachability?: Reachability,
  ) {}

  /** `receivedAt`: when the callback carrying the URL arrived; its hour counts from there. */
  offer(address: ChatAddress, url: string, receivedAt: number): void {
    const expiresAt = receivedAt + FRESH_MS;
    const known = this.fresh.get(keyOf(address));
    if (expiresAt <= this.now() || (known !== undefined && known.expiresAt > expiresAt)) return;
    this.fresh.set(keyOf(address), { url, expiresAt });
    this.reachability?.reached(address);
  }

  take(address: ChatAddress): string | undefined {
    const key = keyOf(address);
    const entry = this.fresh.get(key);
    if (entry === undefined) return undefined;
    this.fresh.delete(key);
    return entry.expiresAt > this.now() ? entry.url : undefined;
  }
}
