/**
 * In groups WeCom only forwards messages that @-mention the bot, and the mention stays inside
 * `text.content` at any position: `"@RobotA hello"`, `"hello@项目开发管理助手 "` (wecom-aibot-protocol.md
 * §5.2). The bot's display name is not in the payload, so configured names are stripped wherever they
 * appear; without a configured name, one leading or trailing `@word` is taken to be the mention.
 * The rest of the question (line breaks, indentation of pasted code) is kept as typed.
 */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A name ends where no letter, digit or underscore follows; separators typed after it go with it. */
function mentionPattern(name: string): RegExp {
  return new RegExp(`@${escapeRegExp(name)}(?![\\p{L}\\p{N}_])[ \\t\\u00a0\\u2005，,:：]*`, 'gu');
}

/** `zhang@example.com` at the end of a question is an address, not a mention. */
const DOMAIN_LIKE = /^[\p{L}\p{N}_-]+(\.[\p{L}\p{N}_-]+)+$/u;

function stripHeuristically(text: string): string {
  const leading = /^@\S+[ \t\u00a0\u2005]+/u.exec(text);
  if (leading !== null) return text.slice(leading[0].length).trim();
  const trailing = /@(\S+)$/u.exec(text);
  if (trailing !== null && !DOMAIN_LIKE.test(trailing[1] as string)) return text.slice(0, trailing.index).trim();
  return text;
}

export function stripMentions(text: string, mentionNames: readonly string[]): string {
  const trimmed = text.trim();
  if (mentionNames.length === 0) return /^@\S+$/u.test(trimmed) ? '' : stripHeuristically(trimmed);
  let result = trimmed;
  for (const name of mentionNames) result = result.replace(mentionPattern(name), '');
  return result.trim();
}
