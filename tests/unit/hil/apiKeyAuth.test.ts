import { ApiKeyAuth } from '../../../app/hil/services/apiKeyAuth';
import { hashApiKey } from '../../../app/hil/store/apiKeys';
import { SqlApiKeys } from '../../../app/hil/store/sqlApiKeys';
import { migrate } from '../../../app/store/migrations';
import { MIGRATIONS } from '../../../app/store/schema';
import { forEachDatabase } from '../../helpers/databases';
import { hilConfig } from './hilConfigKit';

const ENV_KEY = 'env-key-0123456789abcdef';

/** The real store, counting the lookups that reach it. */
class CountingKeys extends SqlApiKeys {
  lookups = 0;
  override findActiveByHash(hash: string): Promise<string | undefined> {
    this.lookups += 1;
    return super.findActiveByHash(hash);
  }
}

forEachDatabase('ApiKeyAuth', (getDb) => {
  beforeAll(async () => {
    await migrate(getDb(), MIGRATIONS);
  });

  const config = hilConfig({ apiKeys: new Map([['agent-env', ENV_KEY]]) });

  it('names the env key behind `Bearer <key>`, whatever the scheme case, without asking the store', async () => {
    const store = new CountingKeys(getDb());
    const auth = new ApiKeyAuth(config, store);
    expect(await auth.identify(`Bearer ${ENV_KEY}`)).toBe('agent-env');
    expect(await auth.identify(`bearer ${ENV_KEY}`)).toBe('agent-env');
    expect(await auth.identify(`BEARER  ${ENV_KEY} `)).toBe('agent-env');
    expect(store.lookups).toBe(0);
    expect(auth.isEnvName('agent-env')).toBe(true);
    expect(auth.isEnvName('agent-other')).toBe(false);
  });

  it('answers undefined without a header, for other schemes, and for near misses of a key', async () => {
    const auth = new ApiKeyAuth(config, new CountingKeys(getDb()));
    for (const header of [
      undefined,
      '',
      ENV_KEY,
      `Basic ${ENV_KEY}`,
      'Bearer',
      `Bearer ${ENV_KEY}x`,
      `Bearer ${ENV_KEY.slice(0, -1)}`,
      `Bearer ${ENV_KEY} extra`,
      `Bearer ${'k'.repeat(10_000)}`,
    ]) {
      expect(await auth.identify(header)).toBeUndefined();
    }
  });

  it('names a stored key by its hash, and stops after a revoke through this instance', async () => {
    const store = new CountingKeys(getDb());
    const auth = new ApiKeyAuth(config, store);
    const made = await store.create('agent-stored', 'ops@example.com');
    if (!made.ok) throw new Error('expected a new key');
    expect(made.key).toMatch(/^ghl_[A-Za-z0-9_-]{43}$/);
    expect(await auth.identify(`Bearer ${made.key}`)).toBe('agent-stored');
    const { rows } = await getDb().query<{ key_hash: string }>('SELECT key_hash FROM hil_api_keys WHERE id = $1', [
      made.info.id,
    ]);
    expect(rows[0]?.key_hash).toBe(hashApiKey(made.key));
    await store.revoke(made.info.id);
    auth.clear();
    expect(await auth.identify(`Bearer ${made.key}`)).toBeUndefined();
  });

  it('keeps positive and negative store answers for the cache time, then asks again', async () => {
    const store = new CountingKeys(getDb());
    let clock = 1_000_000;
    const auth = new ApiKeyAuth(config, store, { cacheTtlMs: 30_000, now: () => clock });
    const made = await store.create('agent-cached', null);
    if (!made.ok) throw new Error('expected a new key');
    for (let i = 0; i < 5; i += 1) expect(await auth.identify(`Bearer ${made.key}`)).toBe('agent-cached');
    for (let i = 0; i < 5; i += 1) expect(await auth.identify('Bearer ghl_unknown-key')).toBeUndefined();
    expect(store.lookups).toBe(2);
    // Revoked on "another instance": this one still trusts its cache until the time is up.
    await store.revoke(made.info.id);
    clock += 29_000;
    expect(await auth.identify(`Bearer ${made.key}`)).toBe('agent-cached');
    clock += 2_000;
    expect(await auth.identify(`Bearer ${made.key}`)).toBeUndefined();
    expect(await auth.identify('Bearer ghl_unknown-key')).toBeUndefined();
    expect(store.lookups).toBe(4);
  });
});
