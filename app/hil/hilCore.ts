import type { Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Database } from '../store/database';
import type { ApiKeyAuth } from './services/apiKeyAuth';
import type { HilAnswers } from './services/hilAnswers';
import type { HilAsk } from './services/hilAsk';
import type { KnownChats } from './services/hilChats';
import type { HilDelivery } from './services/hilDelivery';
import type { OpenGate } from './services/openGate';
import type { RequestSignals } from './services/requestSignals';
import type { HilRequests } from './store/hilRequests';

/**
 * The wing's shared parts, for its sides (issue #15: hil-mcp, MCP, interactions, Dify forms; issue #16:
 * formal approvals): every client's question goes through `ask`, every wait through `signals`
 * (services/requestSignals). A side takes the `Pick` of it that it needs.
 */
export interface HilCore {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Database;
  readonly requests: HilRequests;
  readonly signals: RequestSignals;
  readonly ask: HilAsk;
  readonly delivery: HilDelivery;
  readonly answers: HilAnswers;
  readonly gate: OpenGate;
  readonly chats: KnownChats;
  readonly callers: ApiKeyAuth;
  readonly now: () => number;
}

/** One way in of the wing: its routes (if any) and its timers, started and stopped with the hub. */
export interface HilSide {
  readonly router?: Router;
  start?(): void;
  stop?(): void;
}
