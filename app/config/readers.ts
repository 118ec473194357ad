/**
 * Small readers for env values used by loadConfig. Each records a problem instead of throwing, so
 * that one ConfigError can list every problem at once. Problems name the variable, never its value:
 * several variables hold secrets.
 */
export type Env = Readonly<Record<string, string | undefined>>;

export class Problems {
  readonly list: string[] = [];
  add(problem: string): void {
    this.list.push(problem);
  }
}

/** A trimmed non-empty value, or undefined when unset or blank. */
export function readString(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  return trimmed === '' ? undefined : trimmed;
}

export function readInt(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: Problems,
): number {
  const raw = readString(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) {
    problems.add(`${name} must be a whole number between ${min} and ${max}`);
    return fallback;
  }
  const value = Number(raw);
  if (value < min || value > max) {
    problems.add(`${name} must be between ${min} and ${max} (got ${value})`);
    return fallback;
  }
  return value;
}

export function readBool(env: Env, name: string, fallback: boolean, problems: Problems): boolean {
  const raw = readString(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  problems.add(`${name} must be true or false`);
  return fallback;
}

export function readEnum<T extends string>(
  env: Env,
  name: string,
  allowed: readonly T[],
  fallback: T,
  problems: Problems,
): T {
  const raw = readString(env, name);
  if (raw === undefined) return fallback;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  problems.add(`${name} must be one of ${allowed.join(', ')}`);
  return fallback;
}

/** Parses a JSON object variable; the error never quotes the text (it may contain secrets). */
export function readJsonObject(env: Env, name: string, problems: Problems): Record<string, unknown> | undefined {
  const raw = readString(env, name);
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    problems.add(`${name} is not valid JSON`);
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    problems.add(`${name} must be a JSON object`);
    return undefined;
  }
  return parsed as Record<string, unknown>;
}

/** An http(s) URL without a trailing slash, so paths can be appended. */
export function normalizeBaseUrl(raw: string, name: string, problems: Problems): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.add(`${name} must be an http(s) URL`);
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.add(`${name} must be an http(s) URL`);
    return undefined;
  }
  if (url.username !== '' || url.password !== '') {
    problems.add(`${name} must not contain credentials`);
    return undefined;
  }
  return url.toString().replace(/\/+$/, '');
}

/** Comma-separated list, blanks dropped. */
export function readList(env: Env, name: string): string[] {
  const raw = readString(env, name);
  if (raw === undefined) return [];
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Defines a property that JSON.stringify, pino and util.inspect skip: secrets stay out of logs. */
export function hideSecret<T extends object, K extends string, V>(target: T, key: K, value: V): T & Record<K, V> {
  Object.defineProperty(target, key, { value, enumerable: false, writable: false, configurable: false });
  return target as T & Record<K, V>;
}
