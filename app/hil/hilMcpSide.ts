import type { Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { MCP_BODY_BYTES, mcpRoutes } from './routes/mcpRoutes';
import { McpSessions } from './routes/mcpSessions';
import { mcpServer } from './routes/mcpTools';
import type { ApiKeyAuth } from './services/apiKeyAuth';
import type { HilAsk } from './services/hilAsk';
import type { KnownChats } from './services/hilChats';
import { McpAsks } from './services/mcpAsks';
import type { RequestSignals } from './services/requestSignals';
import type { HilRequests } from './store/hilRequests';

/** What the MCP endpoint takes of the hub's core (hilHub.ts HilCore). */
export interface McpSideDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly requests: HilRequests;
  readonly signals: RequestSignals;
  readonly ask: HilAsk;
  readonly chats: KnownChats;
  readonly callers: ApiKeyAuth;
  readonly now: () => number;
}

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
    newServer: (owner, calls) => mcpServer({ asks, logger, owner, calls, progressMs: settings.progressMs }),
  });
  return { router: mcpRoutes({ logger, callers: core.callers, sessions }), stop: () => sessions.closeAll() };
}
