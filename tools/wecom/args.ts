/**
 * Command line parsing and credential resolution for the WeCom simulator. Credentials come from
 * the same env variables as the gateway (WECOM_TOKEN, WECOM_ENCODING_AES_KEY, WECOM_BOTS) or from
 * --token / --key / --bot. They are never printed.
 */
import { decodeEncodingAesKey, isValidEncodingAesKey } from '../../app/crypto/aesKey';
import { CliError } from './errors';

export interface ParsedArgs {
  command: string;
  positionals: string[];
  flags: Map<string, string>;
}

export interface Credentials {
  token: string;
  aesKey: Buffer;
}

const VALUE_FLAGS = new Set(['token', 'key', 'bot', 'user', 'group', 'interval', 'serve-host', 'quote', 'card-type']);

export const USAGE = [
  'usage: npm run wecom -- <command> [flags]',
  '  verify <url>                                     URL verification (GET)',
  '  chat <url> "text" [--user U] [--group CHATID] [--interval 1000] [--quote "quoted text"]',
  '                                                   --quote: a quote-reply, e.g. --quote "[#3f2a9c1b t1] 需要你的审批"',
  '  image <url> <file> [--user U] [--serve-host HOST]  serves the file encrypted like WeCom media',
  '  event <url> enter_chat [--user U]                the welcome; a card is shown with its task_id and button keys',
  '  event <url> feedback <feedbackId> like|dislike|cancel',
  '  click <url> <task_id> <event_key> [--user U] [--group CHATID] [--card-type button_interaction]',
  '                                                   clicks a card button (template_card_event), shows the updated card',
  'credentials: WECOM_TOKEN / WECOM_ENCODING_AES_KEY (env or .env), or --token T --key K, or --bot <key in WECOM_BOTS>',
].join('\n');

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (!VALUE_FLAGS.has(name)) throw new CliError(`unknown flag --${name}\n${USAGE}`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[(i += 1)];
    if (value === undefined) throw new CliError(`--${name} needs a value`);
    flags.set(name, value);
  }
  const [command, ...rest] = positionals;
  if (command === undefined) throw new CliError(USAGE);
  return { command, positionals: rest, flags };
}

function botFromList(env: NodeJS.ProcessEnv, botKey: string): { token: unknown; key: unknown } {
  const raw = env['WECOM_BOTS'];
  if (raw === undefined || raw.trim() === '') throw new CliError(`--bot ${botKey}: WECOM_BOTS is not set`);
  let listed: unknown;
  try {
    listed = JSON.parse(raw);
  } catch {
    throw new CliError('WECOM_BOTS is not valid JSON');
  }
  const entry = (listed as Record<string, unknown> | null)?.[botKey];
  if (typeof entry !== 'object' || entry === null) throw new CliError(`--bot ${botKey}: no such key in WECOM_BOTS`);
  const e = entry as Record<string, unknown>;
  return { token: e['token'], key: e['encodingAesKey'] };
}

export function resolveCredentials(flags: Map<string, string>, env: NodeJS.ProcessEnv): Credentials {
  const botKey = flags.get('bot');
  const base =
    botKey !== undefined ? botFromList(env, botKey) : { token: env['WECOM_TOKEN'], key: env['WECOM_ENCODING_AES_KEY'] };
  const token = flags.get('token') ?? base.token;
  const key = flags.get('key') ?? base.key;
  if (typeof token !== 'string' || token.trim() === '') {
    throw new CliError('no token: set WECOM_TOKEN (or .env), or pass --token or --bot');
  }
  if (typeof key !== 'string' || !isValidEncodingAesKey(key)) {
    const got = typeof key === 'string' ? ` (got ${key.length} characters)` : ' (not set)';
    throw new CliError(
      `EncodingAESKey must be 43 characters of [A-Za-z0-9]${got}: set WECOM_ENCODING_AES_KEY or pass --key or --bot`,
    );
  }
  return { token, aesKey: decodeEncodingAesKey(key) };
}

export function requireUrl(value: string | undefined): URL {
  if (value === undefined) throw new CliError(`missing <url>\n${USAGE}`);
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
    return url;
  } catch {
    throw new CliError(`not an http(s) URL: ${value}`);
  }
}

export function intervalMs(flags: Map<string, string>): number {
  const raw = flags.get('interval') ?? '1000';
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 60_000)
    throw new CliError(`--interval must be 0..60000 ms (got ${raw})`);
  return value;
}
