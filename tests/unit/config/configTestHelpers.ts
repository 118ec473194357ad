import { inspect } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../../../app/config';
import type { Env } from '../../../app/config/readers';

/** Helpers shared by the config tests (jest only runs *.test.ts, so this is not a suite). */

/** Two valid EncodingAESKeys: 43 characters of [A-Za-z0-9] (wecom-aibot-protocol.md §2.1). */
export const AES_KEY_A = '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt';
export const AES_KEY_B = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

export const config = (env: Env): Config => loadConfig(env).config;

/** The ConfigError loadConfig throws for `env`, failing the test when it does not throw one. */
export function configError(env: Env): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}

/** Every way a problem list can reach a log: message, stack, the problems array, inspect(). */
export function errorTexts(error: ConfigError): string[] {
  return [error.message, String(error.stack), JSON.stringify(error.problems), inspect(error, { depth: 10 })];
}

/** Every way a config can reach a log. */
export function configTexts(value: Config): string[] {
  return [JSON.stringify(value), inspect(value, { depth: 10 })];
}

/** Asserts that none of `texts` contains `secret` (whole, or a distinctive 12-character slice). */
export function expectNoSecret(texts: readonly string[], secret: string): void {
  const slices = [secret, secret.slice(0, 12), secret.slice(-12)];
  for (const text of texts) {
    for (const slice of slices) expect(text).not.toContain(slice);
  }
}

/** A complete self-built app with formal approvals (issue #16), secrets included. */
export const APP_ENV = {
  WECOM_CORP_ID: 'ww0123456789abcdef',
  WECOM_APP_AGENT_ID: '1000002',
  WECOM_APP_SECRET: 'app-secret-0123456789-abcdef',
  WECOM_APP_TOKEN: 'callback-token-0123456789',
  WECOM_APP_ENCODING_AES_KEY: AES_KEY_A,
  WECOM_APPROVAL_CREATOR_USERID: 'robot',
  WECOM_APPROVAL_DEFAULT_APPROVER: 'boss',
  WECOM_APPROVAL_TEMPLATE_ID: 'tpl-a',
  WECOM_INFO_TEMPLATE_ID: 'tpl-i',
};
