import type { Config } from '../../config';
import type { HilTarget } from '../store/hilRequests';

/**
 * Who is asked (issue #13 scope 3): `metadata.userid` (a single chat) or `metadata.chatid` (+ `chattype`,
 * a group by default), `metadata.approverid` (gohumanloop-wework's convention, a userid or a list), and
 * `metadata.bot` (a WECOM_BOTS key; else HIL_DEFAULT_BOT, else the only bot).
 */
export type TargetResult =
  | { readonly ok: true; readonly target: HilTarget; readonly approvers: string[] }
  | { readonly ok: false; readonly error: string };

function text(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function approversOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[,|]/) : [value];
  return [...new Set(list.map(text).filter((v): v is string => v !== undefined))];
}

/** Every bot key this gateway answers as: callback bots, websocket bots, and `*` for the default callback bot. */
export function botKeys(config: Config): string[] {
  const keys = [...config.bots.byKey.keys(), ...config.bots.websocket.keys()];
  return config.bots.fallback !== undefined ? [...keys, '*'] : keys;
}

/** The bot that asks: the named one, else HIL_DEFAULT_BOT, else the only bot. */
export function botOf(config: Config, named: string | undefined): string | { error: string } {
  const keys = botKeys(config);
  const wanted = named ?? config.hil.defaultBot;
  if (wanted !== undefined) return keys.includes(wanted) ? wanted : { error: `unknown bot: ${wanted}` };
  if (keys.length === 1) return keys[0] as string;
  return {
    error:
      keys.length === 0
        ? 'no WeCom bot is configured'
        : 'several bots are configured: name one in metadata.bot or set HIL_DEFAULT_BOT',
  };
}

export function resolveTarget(config: Config, metadata: Record<string, unknown>): TargetResult {
  const bot = botOf(config, text(metadata['bot']));
  if (typeof bot !== 'string') return { ok: false, error: bot.error };
  const approvers = approversOf(metadata['approverid']);
  const chatid = text(metadata['chatid']);
  const userid = text(metadata['userid']);
  if (chatid !== undefined) {
    const chattype = metadata['chattype'] === 'single' ? 'single' : 'group';
    return { ok: true, target: { botKey: bot, chattype, chatid }, approvers };
  }
  const single = userid ?? approvers[0];
  if (single === undefined)
    return { ok: false, error: 'no recipient: set metadata.userid, metadata.chatid or metadata.approverid' };
  return { ok: true, target: { botKey: bot, chattype: 'single', chatid: single }, approvers };
}

/**
 * Whether `userid` may answer: an approver when the request names approvers; else the user of the single
 * chat, or anyone in the group (only there: `sameChat`).
 */
export function mayAnswer(
  request: { readonly target: HilTarget; readonly approvers: readonly string[] },
  userid: string,
  sameChat: boolean,
): boolean {
  if (request.approvers.length > 0) return request.approvers.includes(userid);
  if (request.target.chattype === 'single') return request.target.chatid === userid;
  return sameChat;
}
