import type { BotProfile, Config } from '../../config';
import type { Admission } from './admission';
import { type AgentRoute, routeToAgent } from './agentRouting';
import { conversationScope, partyOf } from '../turn/conversationScope';
import { type TurnQuery, buildTurnQuery } from '../wecom/turnQuery';
import type { UserMessage } from '../wecom/inbound';

export type AskQuery = Extract<TurnQuery, { kind: 'ask' }>;

/** What a user message leads to: a turn, a command, or a notice given at once (no agent run). */
export type MessagePlan =
  | { readonly kind: 'notice'; readonly text: string; readonly cause: string; readonly agentId: string | undefined }
  | {
      readonly kind: 'new_conversation';
      readonly text: string;
      readonly conversationKey: string;
      readonly agentId: string;
    }
  | { readonly kind: 'run'; readonly query: AskQuery; readonly route: AgentRoute };

/** "/new", "新对话": a text alone, nothing attached or quoted (issue #6 scope 5). */
function isNewConversationCommand(query: AskQuery, commands: ReadonlySet<string>): boolean {
  if (query.attachments.length > 0 || query.quote !== undefined || query.pieces.length !== 1) return false;
  const [piece] = query.pieces;
  return piece !== undefined && 'text' in piece && commands.has(piece.text.trim());
}

/**
 * Decides before anything is written: an empty question, a missing agent, a refused user (access
 * rules, rate, concurrent turns) and commands are answered in the first reply; the rest starts a turn.
 * A run is admitted as `turnId` (its stream id): it counts as running until the caller lets it go
 * (Admission.leave), also when it does not start after all (a retried msgid).
 */
export async function planMessage(
  config: Config,
  admission: Admission,
  bot: BotProfile,
  message: UserMessage,
  turnId: string,
): Promise<MessagePlan> {
  const { texts } = config;
  const query = buildTurnQuery(message, bot.mentionNames);
  if (query.kind === 'empty')
    return { kind: 'notice', text: texts.EMPTY_QUESTION, cause: 'empty_question', agentId: undefined };
  const route = routeToAgent(config.agents, message.aibotid);
  if (route.agent === undefined)
    return { kind: 'notice', text: texts.AGENT_NOT_CONFIGURED, cause: 'agent_not_configured', agentId: route.agentId };
  const party = partyOf(message);
  const command = isNewConversationCommand(query, config.controls.newConversationCommands);
  // A command counts against the rate and is refused like a question, but starts no turn.
  const verdict = await admission.check(route.agent, party, command ? undefined : turnId);
  if (verdict.kind === 'refuse')
    return { kind: 'notice', text: verdict.text, cause: verdict.cause, agentId: route.agentId };
  if (command) {
    const scope = conversationScope(party, route.agentId, config.conversation.groupScope);
    return {
      kind: 'new_conversation',
      text: texts.NEW_CONVERSATION_STARTED,
      conversationKey: scope.key,
      agentId: route.agentId,
    };
  }
  return { kind: 'run', query, route: { agentId: route.agentId, agent: route.agent } };
}
