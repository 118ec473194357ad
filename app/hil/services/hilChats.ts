import type { Config } from '../../config';
import type { HilTarget } from '../store/hilRequests';
import { botKeys, botOf } from './hilTargets';

/** The store's answer this needs: which bots have seen a group of this chatid (store/sqlKnownChats). */
export interface KnownChats {
  groupBots(chatid: string): Promise<string[]>;
}

export type ChatResult =
  { readonly ok: true; readonly target: HilTarget } | { readonly ok: false; readonly error: string };

const PREFIXED = /^(single|group):(.*)$/;

/**
 * A hil-mcp `chat_id` (hil.md §4.3, issue #15 scope 1) as a chat of a configured bot. hil-mcp has one
 * flat id; WeCom has a group's chatid and a user's userid, which the message log tells apart (a group
 * the bot has seen). `single:`/`group:` force the type, `<bot>/` names the bot, as `/chatid` prints.
 */
export async function resolveChat(config: Config, known: KnownChats, raw: string): Promise<ChatResult> {
  let rest = raw.trim();
  let named: string | undefined;
  const slash = rest.indexOf('/');
  if (slash > 0 && botKeys(config).includes(rest.slice(0, slash))) {
    named = rest.slice(0, slash);
    rest = rest.slice(slash + 1);
  }
  const prefixed = PREFIXED.exec(rest);
  const chatid = (prefixed?.[2] ?? rest).trim();
  if (chatid === '') return { ok: false, error: '未指定 chat_id' };
  const forced = prefixed?.[1] as 'single' | 'group' | undefined;
  const seenIn = forced === 'single' ? [] : await known.groupBots(chatid);
  const configured = botKeys(config);
  const groupBot = seenIn.find((bot) => configured.includes(bot) && (named === undefined || bot === named));
  const chattype = forced ?? (groupBot !== undefined ? 'group' : 'single');
  const bot = named ?? (chattype === 'group' ? groupBot : undefined) ?? botOf(config, undefined);
  if (typeof bot !== 'string') return { ok: false, error: bot.error };
  return { ok: true, target: { botKey: bot, chattype, chatid } };
}

/** How `/chatid` prints a chat so that resolveChat reads it back to the same chat. */
export function chatIdOf(config: Config, target: HilTarget): string {
  const several = botKeys(config).length > 1;
  const typed = target.chattype === 'group' ? target.chatid : `single:${target.chatid}`;
  return several ? `${target.botKey}/${typed}` : typed;
}
