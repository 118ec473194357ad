import type { Config } from '../../config';
import { type KnownChats, resolveChat } from './hilChats';
import type { TargetObject } from './interactionFormat';
import { type TargetResult, botKeys, resolveTarget } from './hilTargets';

/**
 * Who a batch's interactions ask (issue #15 scope 3): `target` is a hil-mcp chat id (`resolveChat`: a
 * group chatid or userid, `single:`/`group:`/`<bot>/` prefixes), or an object with either `chat_id` or
 * the request metadata's fields (`userid`, `chatid` + `chattype`, `bot`, `approvers`, as hilTargets reads
 * them); absent, the API key's `defaultChat` (HIL_API_KEYS).
 */
export async function resolveInteractionTarget(
  deps: { readonly config: Config; readonly chats: KnownChats },
  owner: string,
  target: string | TargetObject | null | undefined,
): Promise<TargetResult> {
  const { config, chats } = deps;
  if (target === undefined || target === null) {
    const fallback = config.hil.keySettings.get(owner)?.defaultChat;
    if (fallback === undefined) return { ok: false, error: 'no target: name a chat or give the key a defaultChat' };
    return withApprovers(await resolveChat(config, chats, fallback), []);
  }
  if (typeof target === 'string') return withApprovers(await resolveChat(config, chats, target), []);
  const approvers = listOf(target.approvers);
  if (target.chat_id !== undefined) {
    const named = target.bot !== undefined && !hasBotPrefix(config, target.chat_id);
    const raw = named ? `${target.bot}/${target.chat_id}` : target.chat_id;
    return withApprovers(await resolveChat(config, chats, raw), approvers);
  }
  return resolveTarget(config, {
    ...(target.userid !== undefined ? { userid: target.userid } : {}),
    ...(target.chatid !== undefined ? { chatid: target.chatid } : {}),
    ...(target.chattype !== undefined ? { chattype: target.chattype } : {}),
    ...(target.bot !== undefined ? { bot: target.bot } : {}),
    ...(approvers.length > 0 ? { approverid: approvers } : {}),
  });
}

function withApprovers(found: Awaited<ReturnType<typeof resolveChat>>, approvers: string[]): TargetResult {
  return found.ok ? { ok: true, target: found.target, approvers } : found;
}

function hasBotPrefix(config: Config, chatId: string): boolean {
  const slash = chatId.indexOf('/');
  return slash > 0 && botKeys(config).includes(chatId.slice(0, slash));
}

function listOf(value: string | string[] | undefined): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : value.split(/[,|]/);
  return [...new Set(list.map((v) => v.trim()).filter((v) => v !== ''))];
}
