import type { AccessRules } from '../config/access';
import type { StoredAccessRules } from './accessRules';
import type { Queryable } from './database';

type Rule = 'allow_user' | 'deny_user' | 'allow_chat' | 'deny_chat';

function emptyRules(): {
  allowUsers: Set<string>;
  denyUsers: Set<string>;
  allowChats: Set<string>;
  denyChats: Set<string>;
} {
  return { allowUsers: new Set(), denyUsers: new Set(), allowChats: new Set(), denyChats: new Set() };
}

const FIELD: Record<Rule, keyof ReturnType<typeof emptyRules>> = {
  allow_user: 'allowUsers',
  deny_user: 'denyUsers',
  allow_chat: 'allowChats',
  deny_chat: 'denyChats',
};

/**
 * Access rules kept in the `access_rules` table (schema v3), by agent id. They are added to the
 * agent's rules from the environment; ops manage them with SQL, e.g.
 * `INSERT INTO access_rules (agent_id, rule, value) VALUES ('default', 'deny_user', 'zhangsan')`.
 */
export class SqlAccessRules implements StoredAccessRules {
  private current = new Map<string, AccessRules>();

  constructor(private readonly db: Queryable) {}

  get(agentId: string): AccessRules | undefined {
    return this.current.get(agentId);
  }

  async refresh(): Promise<void> {
    const { rows } = await this.db.query<{ agent_id: string; rule: Rule; value: string }>(
      'SELECT agent_id, rule, value FROM access_rules',
    );
    const next = new Map<string, ReturnType<typeof emptyRules>>();
    for (const row of rows) {
      const rules = next.get(row.agent_id) ?? emptyRules();
      rules[FIELD[row.rule]].add(row.value);
      next.set(row.agent_id, rules);
    }
    this.current = next;
  }
}
