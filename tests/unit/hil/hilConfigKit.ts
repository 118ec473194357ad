import { type HilConfig, MCP_DEFAULTS } from '../../../app/config/hil';

/** A HilConfig for tests: no env keys, a fixed secret unless told otherwise. */
export function hilConfig(overrides: Partial<HilConfig> = {}): HilConfig {
  return {
    apiKeys: new Map(),
    requestTtlMs: 86_400_000,
    defaultBot: undefined,
    expirySweepMs: 10_000,
    secretKey: 'test-secret-key-of-at-least-32-characters!',
    firstSuperuser: undefined,
    accessTokenTtlMs: 3_600_000,
    keySettings: new Map(),
    mcpPathToken: undefined,
    callbackAllowPrivateNetworks: false,
    callbackRetryDelaysMs: [1000],
    mcp: MCP_DEFAULTS,
    ...overrides,
  };
}
