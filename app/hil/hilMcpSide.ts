import type { Router } from 'express';
import type { HilCore } from './hilCore';
import { MCP_BODY_BYTES, mcpRoutes } from './routes/mcpRoutes';
import { McpSessions } from './routes/mcpSessions';
import { McpAsks } from './services/mcpAsks';

/** What the MCP endpoint takes of the hub's core (hilHub.ts HilCore). */
export type McpSideDeps = Pick<
  HilCore,
  'config' | 'logger' | 'requests' | 'signals' | 'ask' | 'chats' | 'callers' | 'now'
>;

/**
 * The remote MCP endpoint (issue #15 scope 2), wired: its route, the sessions of this instance, and an
 * McpServer per session over one McpAsks. `stop` closes the sessions (their waiting calls cancel their requests).
 */
export function mcpSide(core: McpSideDeps): { readonly router: Router; stop(): void } {
  const { logger, now } = core;
  const settings = core.config.hil.mcp;
  const asks = new McpAsks(core);
  const sessions = new McpSessions({
    settings,
    logger,
    now,
    maxBodyBytes: MCP_BODY_BYTES,
    // Loaded with the first session, like the SDK's transport (mcpSessions.ts): the tools import the SDK.
    newServer: async (owner, calls) =>
      (await import('./routes/mcpTools.js')).mcpServer({ asks, logger, owner, calls, progressMs: settings.progressMs }),
  });
  return { router: mcpRoutes({ logger, callers: core.callers, sessions }), stop: () => sessions.closeAll() };
}
