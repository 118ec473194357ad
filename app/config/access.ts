import { type Env, type Problems, readInt, readList } from './readers';

/** Who may use an agent (issue #6 scope 4). Empty allow lists mean "everyone not denied". */
export interface AccessRules {
  readonly allowUsers: ReadonlySet<string>;
  readonly denyUsers: ReadonlySet<string>;
  readonly allowChats: ReadonlySet<string>;
  readonly denyChats: ReadonlySet<string>;
}

export interface ConversationControls {
  /** Messages per minute one user may send to one bot. 0 = unlimited. */
  readonly userMessagesPerMinute: number;
  /** Turns of one user running at once (WeCom allows 3 messages in flight, wecom-aibot-protocol.md §5.2). */
  readonly userConcurrentTurns: number;
  /** Exact messages that start a fresh Dify conversation. */
  readonly newConversationCommands: ReadonlySet<string>;
}

export const OPEN_ACCESS: AccessRules = {
  allowUsers: new Set(),
  denyUsers: new Set(),
  allowChats: new Set(),
  denyChats: new Set(),
};

function stringSet(value: unknown, label: string, problems: Problems): Set<string> {
  if (value === undefined) return new Set();
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    problems.add(`${label} must be a list of strings`);
    return new Set();
  }
  return new Set(value as string[]);
}

/** Rules of a DIFY_AGENTS entry: `access: {allowUsers, denyUsers, allowChats, denyChats}`. */
export function accessFromJson(value: unknown, label: string, problems: Problems): AccessRules {
  if (value === undefined) return OPEN_ACCESS;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.add(`${label}: access must be an object`);
    return OPEN_ACCESS;
  }
  const v = value as Record<string, unknown>;
  return {
    allowUsers: stringSet(v['allowUsers'], `${label} access.allowUsers`, problems),
    denyUsers: stringSet(v['denyUsers'], `${label} access.denyUsers`, problems),
    allowChats: stringSet(v['allowChats'], `${label} access.allowChats`, problems),
    denyChats: stringSet(v['denyChats'], `${label} access.denyChats`, problems),
  };
}

/** Rules of the default agent: ACCESS_ALLOW_USERS, ACCESS_DENY_USERS, ACCESS_ALLOW_CHATS, ACCESS_DENY_CHATS. */
export function accessFromEnv(env: Env): AccessRules {
  return {
    allowUsers: new Set(readList(env, 'ACCESS_ALLOW_USERS')),
    denyUsers: new Set(readList(env, 'ACCESS_DENY_USERS')),
    allowChats: new Set(readList(env, 'ACCESS_ALLOW_CHATS')),
    denyChats: new Set(readList(env, 'ACCESS_DENY_CHATS')),
  };
}

export function readControls(env: Env, problems: Problems): ConversationControls {
  const commands = readList(env, 'NEW_CONVERSATION_COMMANDS');
  return {
    userMessagesPerMinute: readInt(env, 'USER_MESSAGES_PER_MINUTE', 20, 0, 10000, problems),
    userConcurrentTurns: readInt(env, 'USER_CONCURRENT_TURNS', 3, 1, 100, problems),
    newConversationCommands: new Set(commands.length > 0 ? commands : ['/new', '新对话']),
  };
}
