import type { AgentConfig, Config } from '../../config';
import type { AccessRules } from '../../config/access';
import type { StoredAccessRules } from '../../store/accessRules';
import type { ChatParty } from '../turn/conversationScope';

export type AdmissionVerdict =
  | { readonly kind: 'admit' }
  | {
      readonly kind: 'refuse';
      readonly text: string;
      readonly cause: 'access_denied' | 'rate_limited' | 'too_many_running';
    };

const MINUTE_MS = 60_000;

/**
 * Whether a user message may start a turn (issue #6 scope 4): the agent's allow and deny lists, a
 * per-user rate limit, and at most N turns of one user at once. A refused user gets a notice and
 * nothing reaches Dify. Counts are per instance.
 */
export class Admission {
  private readonly recent = new Map<string, number[]>();
  private readonly running = new Map<string, number>();

  constructor(
    private readonly config: Config,
    private readonly now: () => number,
    private readonly stored: Pick<StoredAccessRules, 'get'> = { get: () => undefined },
  ) {}

  check(agent: AgentConfig, party: ChatParty): AdmissionVerdict {
    const { texts, controls } = this.config;
    if (!allowedByRules(mergeRules(agent.access, this.stored.get(agent.id)), party))
      return { kind: 'refuse', text: texts.ACCESS_DENIED, cause: 'access_denied' };
    const key = userKey(party);
    if ((this.running.get(key) ?? 0) >= controls.userConcurrentTurns)
      return { kind: 'refuse', text: texts.TOO_MANY_RUNNING, cause: 'too_many_running' };
    if (controls.userMessagesPerMinute > 0 && !this.take(key, controls.userMessagesPerMinute))
      return { kind: 'refuse', text: texts.RATE_LIMITED, cause: 'rate_limited' };
    return { kind: 'admit' };
  }

  /** A turn of this user started; returns the function to call when it ends. */
  enter(party: ChatParty): () => void {
    const key = userKey(party);
    this.running.set(key, (this.running.get(key) ?? 0) + 1);
    return () => {
      const left = (this.running.get(key) ?? 1) - 1;
      if (left <= 0) this.running.delete(key);
      else this.running.set(key, left);
    };
  }

  /** Sliding one-minute window; old entries are dropped as the user writes, empty keys removed. */
  private take(key: string, limit: number): boolean {
    const now = this.now();
    const times = (this.recent.get(key) ?? []).filter((t) => now - t < MINUTE_MS);
    if (times.length >= limit) {
      this.recent.set(key, times);
      return false;
    }
    times.push(now);
    this.recent.set(key, times);
    if (this.recent.size > 10_000) this.prune(now);
    return true;
  }

  private prune(now: number): void {
    for (const [key, times] of this.recent) if (times.every((t) => now - t >= MINUTE_MS)) this.recent.delete(key);
  }
}

function mergeRules(own: AccessRules, extra: AccessRules | undefined): AccessRules {
  if (extra === undefined) return own;
  const union = (a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> => new Set([...a, ...b]);
  return {
    allowUsers: union(own.allowUsers, extra.allowUsers),
    denyUsers: union(own.denyUsers, extra.denyUsers),
    allowChats: union(own.allowChats, extra.allowChats),
    denyChats: union(own.denyChats, extra.denyChats),
  };
}

function userKey(party: ChatParty): string {
  return `${party.aibotid}:${party.userid}`;
}

/**
 * Denied users and chats never pass. When any allow list is set, a user passes if listed, or if the
 * message comes from an allowed group chat; without allow lists everyone else passes.
 */
export function allowedByRules(access: AccessRules, party: ChatParty): boolean {
  const chat = party.chattype === 'group' ? party.chatid : undefined;
  if (access.denyUsers.has(party.userid)) return false;
  if (chat !== undefined && access.denyChats.has(chat)) return false;
  if (access.allowUsers.size === 0 && access.allowChats.size === 0) return true;
  return access.allowUsers.has(party.userid) || (chat !== undefined && access.allowChats.has(chat));
}
