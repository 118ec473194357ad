import { createHmac } from 'node:crypto';
import { AccessTokens, SECRET_KEY_SETTING } from '../../../app/hil/services/accessTokens';
import type { Settings } from '../../../app/hil/store/settings';
import { hilConfig } from './hilConfigKit';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Settings in memory, counting how often a value was made. */
function memorySettings(): Settings & { made: number } {
  const values = new Map<string, string>();
  return {
    made: 0,
    async getOrCreate(name, make) {
      if (!values.has(name)) {
        this.made += 1;
        values.set(name, make());
      }
      return values.get(name)!;
    },
  };
}

function sign(secret: string, header: unknown, payload: unknown): string {
  const body = `${b64(header)}.${b64(payload)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

describe('AccessTokens (HS256 JWT)', () => {
  const config = hilConfig();
  const secret = config.secretKey!;
  const now = 1_750_000_000_000;

  it('signs {sub, exp} with HS256 and verifies its own token until exp', async () => {
    const tokens = new AccessTokens(config, memorySettings());
    const token = await tokens.sign('operator-1', now);
    const [header, payload] = token.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toEqual({
      sub: 'operator-1',
      exp: Math.floor((now + config.accessTokenTtlMs) / 1000),
    });
    expect(await tokens.verify(token, now)).toBe('operator-1');
    expect(await tokens.verify(token, now + config.accessTokenTtlMs - 1000)).toBe('operator-1');
    expect(await tokens.verify(token, now + config.accessTokenTtlMs)).toBeUndefined();
  });

  it('accepts a token another implementation made with the same key (interoperable HS256)', async () => {
    const token = sign(secret, { typ: 'JWT', alg: 'HS256' }, { exp: now / 1000 + 60, sub: 'x' });
    expect(await new AccessTokens(config, memorySettings()).verify(token, now)).toBe('x');
  });

  it('refuses tampered payloads, signatures, other keys and malformed tokens', async () => {
    const tokens = new AccessTokens(config, memorySettings());
    const token = await tokens.sign('operator-1', now);
    const [header, , signature] = token.split('.');
    const forged = `${header}.${b64({ sub: 'operator-2', exp: now / 1000 + 3600 })}.${signature}`;
    const flipped = token.slice(0, -2) + (token.endsWith('A') ? 'B' : 'A') + token.slice(-1);
    for (const bad of [
      forged,
      flipped,
      sign('another-secret-of-at-least-32-characters', { alg: 'HS256' }, { sub: 'operator-1', exp: now / 1000 + 60 }),
      `${header}.${b64({ sub: 'operator-1', exp: now / 1000 + 60 })}`,
      '',
      'a.b.c',
      `${token}.extra`,
      `${header}.%%%.${signature}`,
    ]) {
      expect(await tokens.verify(bad, now)).toBeUndefined();
    }
  });

  it('refuses alg none and any algorithm but HS256, whatever the signature', async () => {
    const tokens = new AccessTokens(config, memorySettings());
    const claims = { sub: 'operator-1', exp: now / 1000 + 60 };
    expect(await tokens.verify(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`, now)).toBeUndefined();
    expect(await tokens.verify(`${b64({ alg: 'none' })}.${b64(claims)}.x`, now)).toBeUndefined();
    // Signed correctly with HMAC but labelled otherwise: the header is part of what is trusted.
    expect(await tokens.verify(sign(secret, { alg: 'HS512' }, claims), now)).toBeUndefined();
    expect(await tokens.verify(sign(secret, { alg: 'RS256' }, claims), now)).toBeUndefined();
  });

  it('refuses tokens without a string sub or a numeric exp', async () => {
    const tokens = new AccessTokens(config, memorySettings());
    for (const claims of [
      { sub: 'x' },
      { exp: now / 1000 + 60 },
      { sub: 1, exp: now / 1000 + 60 },
      { sub: 'x', exp: '9' },
    ]) {
      expect(await tokens.verify(sign(secret, { alg: 'HS256' }, claims), now)).toBeUndefined();
    }
  });

  it('without SECRET_KEY uses one generated key from the settings, shared by every instance', async () => {
    const settings = memorySettings();
    const config = hilConfig({ secretKey: undefined });
    const a = new AccessTokens(config, settings);
    const b = new AccessTokens(config, settings);
    const token = await a.sign('operator-1', now);
    expect(await b.verify(token, now)).toBe('operator-1');
    expect(settings.made).toBe(1);
    const key = await settings.getOrCreate(SECRET_KEY_SETTING, () => 'unused');
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // A configured SECRET_KEY does not accept tokens of the generated one.
    expect(await new AccessTokens(hilConfig(), settings).verify(token, now)).toBeUndefined();
  });
});
