import type { AccessRules } from '../config/access';

/**
 * Access rules kept outside the environment, by agent id; added to the agent's own rules from the
 * environment (issue #6 scope 4). Read from memory on every message, reloaded in the background.
 */
export interface StoredAccessRules {
  get(agentId: string): AccessRules | undefined;
  /** Reads the rules again from the store. */
  refresh(): Promise<void>;
}
