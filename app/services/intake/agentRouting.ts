import { type AgentConfig, type Config } from '../../config';
import { DEFAULT_AGENT_ID } from '../../config/agents';

/** Which agent a bot's messages go to, as configured: the agent may be missing. */
export interface AgentLookup {
  readonly agentId: string;
  /** Undefined when the mapped agent is not configured; the user is told so. */
  readonly agent: AgentConfig | undefined;
}

/** A lookup that found its agent: what a turn runs with. */
export interface AgentRoute {
  readonly agentId: string;
  readonly agent: AgentConfig;
}

/** aibotid → agent (WECOM_AIBOT_AGENT_MAPPING); unmapped bots go to `default` (ARCHITECTURE.md "One message", step 3). */
export function routeToAgent(agents: Config['agents'], aibotid: string): AgentLookup {
  const agentId = agents.mapping.get(aibotid) ?? DEFAULT_AGENT_ID;
  return { agentId, agent: agents.byId.get(agentId) };
}
