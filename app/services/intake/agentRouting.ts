import { type AgentConfig, type Config } from '../../config';
import { DEFAULT_AGENT_ID } from '../../config/agents';

export interface AgentRoute {
  readonly agentId: string;
  /** Undefined when the mapped agent is not configured; the user is told so. */
  readonly agent: AgentConfig | undefined;
}

/** aibotid → agent (WECOM_AIBOT_AGENT_MAPPING); unmapped bots go to `default` (DESIGN.md step 3). */
export function routeToAgent(agents: Config['agents'], aibotid: string): AgentRoute {
  const agentId = agents.mapping.get(aibotid) ?? DEFAULT_AGENT_ID;
  return { agentId, agent: agents.byId.get(agentId) };
}
