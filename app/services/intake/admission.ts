import type { AgentConfig, Config } from '../../config';
import type { AccessRules } from '../../config/access';
import type { StoredAccessRules } from '../../store/accessRules';
import type { AdmissionCounts, AdmissionLimits } from '../../store/admissionCounts';
import type { ChatParty } from '../turn/conversationScope';

export type AdmissionVerdict =
  | { readonly kind: 'admit' }
  | {
      readonly kind: 'refuse';
      readonly text: string;
      readonly cause: 'access_denied' | 'rate_limited' | 'too_many_running';
    };

/**
 * A running turn counts against its user's cap for at most this long past the overall limit of a Dify
 * run (DIFY_TURN_TIMEOUT_SECONDS): the slack covers its media download and its wait for the
 * conversation. Past that it has ended, even if the instance running it died without saying so.
 */
const RUNNING_SLACK_MS = 120_000;

export function runningExpiryMs(config: Config): number {
  return config.dify.turnTimeoutMs + RUNNING_SLACK_MS;
}

/**
 * Whether a user message may start a turn (issue #6 scope 4): the agent's allow and deny lists, a
 * per-user rate limit, and at most N turns of one user at once. A refused user gets a notice and
 * nothing reaches Dify. The counts are kept by `counts`: in memory for one process, in the store when
 * several instances share PostgreSQL, so a user's messages count wherever they land (issue #14 scope 5).
 */
export class Admission {
  private readonly limits: AdmissionLimits;

  constructor(
    private readonly config: Config,
    private readonly now: () => number,
    private readonly counts: AdmissionCounts,
    private readonly stored: Pick<StoredAccessRules, 'get'> = { get: () => undefined },
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {
    const { controls } = config;
    this.limits = {
      perMinute: controls.userMessagesPerMinute,
      concurrent: controls.userConcurrentTurns,
      runningExpiryMs: runningExpiryMs(config),
    };
  }

  /**
   * Checks, and counts an admitted message at once: with `turnId`, the turn it will start is running
   * from here until `leave(party, turnId)` (check and take are one step, also across instances).
   */
  async check(agent: AgentConfig, party: ChatParty, turnId?: string): Promise<AdmissionVerdict> {
    const { texts } = this.config;
    if (!allowedByRules(mergeRules(agent.access, this.stored.get(agent.id)), party))
      return { kind: 'refuse', text: texts.ACCESS_DENIED, cause: 'access_denied' };
    const taken = await this.counts.take(userKey(party), turnId, this.now(), this.limits);
    if (taken === 'too_many_running')
      return { kind: 'refuse', text: texts.TOO_MANY_RUNNING, cause: 'too_many_running' };
    if (taken === 'rate_limited') return { kind: 'refuse', text: texts.RATE_LIMITED, cause: 'rate_limited' };
    return { kind: 'admit' };
  }

  /** The turn admitted as `turnId` ended, or will not start after all. Never fails the caller. */
  leave(party: ChatParty, turnId: string): void {
    this.counts.leave(userKey(party), turnId).catch(this.onError);
  }

  /** This instance's running turns, left by a previous life with the same INSTANCE_ID or at shutdown. */
  forgetInstance(): Promise<void> {
    return this.counts.forgetInstance();
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
