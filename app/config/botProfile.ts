/** What every bot has, whichever channel it talks over: the services need only this. */
export interface BotProfile {
  /** The `:botid` path segment (callback) or the WECOM_BOTS key (websocket); `*` for the default bot. */
  readonly key: string;
  /** Names users type after `@` in groups; stripped from the question (§5.2). */
  readonly mentionNames: readonly string[];
  /** Answer to enter_chat (§6.1); undefined = no welcome (an empty reply). */
  readonly welcome: string | undefined;
  /** Welcome as a card built from the Dify app's opening statement and suggested questions (§7). */
  readonly welcomeCard: boolean;
}

/** What a WECOM_BOTS entry or the default bot's variables add to its credentials. */
export interface BotExtras {
  readonly mentionNames: string[];
  readonly welcome: string | undefined;
  readonly welcomeCard: boolean;
}

export function readMentionNames(value: unknown): string[] {
  if (typeof value === 'string') return value.trim() === '' ? [] : [value.trim()];
  if (Array.isArray(value))
    return value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
  return [];
}
