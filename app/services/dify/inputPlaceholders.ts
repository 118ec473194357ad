/**
 * Who asks, for the placeholders an agent's `inputs` may hold (issue 15 scope 5): a Dify app sees
 * the WeCom user, chat and bot of each message as input variables, e.g.
 * `"inputs": {"user": "{{userid}}", "where": "{{chattype}}:{{chatid}}"}`.
 */
export interface Asker {
  readonly userid: string;
  /** Undefined in a single chat: the placeholder becomes ''. */
  readonly chatid: string | undefined;
  readonly chattype: 'single' | 'group';
  /** The bot's key in WECOM_BOTS (its path segment). */
  readonly bot: string;
  readonly aibotid: string;
  readonly msgid: string;
}

const PLACEHOLDER = /\{\{\s*(userid|chatid|chattype|bot|aibotid|msgid)\s*\}\}/g;

function fillString(text: string, asker: Asker): string {
  if (!text.includes('{{')) return text;
  return text.replace(PLACEHOLDER, (_match, name: keyof Asker) => asker[name] ?? '');
}

function fillValue(value: unknown, asker: Asker): unknown {
  if (typeof value === 'string') return fillString(value, asker);
  if (Array.isArray(value)) return value.map((item) => fillValue(item, asker));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fillValue(item, asker)]));
  return value;
}

/**
 * The agent's inputs with every `{{userid}}`, `{{chatid}}`, `{{chattype}}`, `{{bot}}`, `{{aibotid}}`
 * and `{{msgid}}` in its strings (nested ones too) replaced; other text, including unknown
 * placeholders, is left as it is. Without an asker (no message behind the run) the inputs are unchanged.
 */
export function fillInputs(
  inputs: Readonly<Record<string, unknown>>,
  asker: Asker | undefined,
): Record<string, unknown> {
  if (asker === undefined) return { ...inputs };
  return fillValue(inputs, asker) as Record<string, unknown>;
}
