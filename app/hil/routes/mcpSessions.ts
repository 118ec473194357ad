import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from 'pino';
import type { McpSettings } from '../../config/hil';
import { errorFields } from '../../logger';
import type { CallTracker } from './mcpTools';
import type * as TransportModule from './mcpTransport';

/** One MCP session (Streamable HTTP, MCP 2025-11-25 "Session Management"): bound to the key that opened it. */
export interface McpSession {
  readonly owner: string;
  readonly transport: StreamableHTTPServerTransport;
  /** The session's running tool calls by JSON-RPC id: a disconnect aborts the one its POST carried. */
  readonly calls: Map<RequestId, AbortController>;
  lastSeen: number;
}

export interface McpSessionsDeps {
  readonly settings: McpSettings;
  readonly logger: Logger;
  readonly now: () => number;
  /** The session's McpServer with its tools, for the key's name. */
  readonly newServer: (owner: string, calls: CallTracker) => Promise<McpServer>;
  /** Bytes of a POST body the transport reads itself (our route parses it first; this is the fallback). */
  readonly maxBodyBytes: number;
}

/**
 * The MCP sessions of this instance, in memory: the SDK's transport and server hold a session's state
 * and its running tool calls, which cannot move to another process. A session made no request for
 * `sessionIdleMs` and runs no call is closed; past `maxSessions` a new one closes the longest idle one,
 * or is refused when every session has a call running.
 */
export class McpSessions {
  private readonly sessions = new Map<string, McpSession>();
  private readonly sweep: NodeJS.Timeout;

  constructor(private readonly deps: McpSessionsDeps) {
    this.sweep = setInterval(() => this.closeIdle(), Math.min(deps.settings.sessionIdleMs, 60_000));
    this.sweep.unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  /** The session of this id, only for the key that opened it: for any other key it does not exist. */
  find(id: string, owner: string): McpSession | undefined {
    const session = this.sessions.get(id);
    if (session === undefined || session.owner !== owner) return undefined;
    session.lastSeen = this.deps.now();
    return session;
  }

  /**
   * Answers an `initialize` POST with a new session; false (nothing answered) when the instance holds
   * as many sessions as it may and every one of them runs a call.
   */
  async initialize(owner: string, req: IncomingMessage, res: ServerResponse, body: unknown): Promise<boolean> {
    if (this.sessions.size >= this.deps.settings.maxSessions && !this.closeIdlest()) return false;
    const session = await this.newSession(owner);
    const server = await this.deps.newServer(owner, tracker(session, this.deps.now));
    await server.connect(session.transport);
    await session.transport.handleRequest(req, res, body);
    // An initialize the SDK refused (bad params) opened nothing: its server is dropped.
    if (session.transport.sessionId === undefined) await server.close();
    return true;
  }

  abortCall(session: McpSession, id: RequestId): void {
    session.calls.get(id)?.abort();
  }

  /** Closes every session: their running calls abort (and cancel their requests). */
  closeAll(): void {
    clearInterval(this.sweep);
    for (const session of [...this.sessions.values()]) this.close(session);
  }

  private async newSession(owner: string): Promise<McpSession> {
    const { logger, maxBodyBytes, now } = this.deps;
    const { newTransport } = await loadTransport();
    const transport: StreamableHTTPServerTransport = newTransport({
      sessionIdGenerator: () => randomUUID(),
      maxRequestBodySize: maxBodyBytes,
      onsessioninitialized: (id) => {
        this.sessions.set(id, session);
        logger.info({ owner, sessions: this.sessions.size }, 'MCP session opened');
      },
    });
    const session: McpSession = { owner, transport, calls: new Map(), lastSeen: now() };
    // Set before the server connects, which chains its own onclose after this one (DELETE, close()).
    transport.onclose = () => {
      const id = transport.sessionId;
      if (id === undefined || this.sessions.get(id) !== session) return;
      this.sessions.delete(id);
      logger.info({ owner, sessions: this.sessions.size }, 'MCP session closed');
    };
    return session;
  }

  private close(session: McpSession): void {
    session.transport.close().catch((err: unknown) => {
      this.deps.logger.warn({ err: errorFields(err) }, 'MCP session did not close cleanly');
    });
  }

  private closeIdle(): void {
    const before = this.deps.now() - this.deps.settings.sessionIdleMs;
    for (const session of [...this.sessions.values()])
      if (session.calls.size === 0 && session.lastSeen <= before) this.close(session);
  }

  /** Makes room for one more: the longest idle session without a running call is closed. */
  private closeIdlest(): boolean {
    let idlest: McpSession | undefined;
    for (const session of this.sessions.values())
      if (session.calls.size === 0 && (idlest === undefined || session.lastSeen < idlest.lastSeen)) idlest = session;
    if (idlest === undefined) return false;
    const id = idlest.transport.sessionId;
    if (id !== undefined) this.sessions.delete(id);
    this.close(idlest);
    return true;
  }
}

function tracker(session: McpSession, now: () => number): CallTracker {
  return {
    track(id, controller) {
      session.calls.set(id, controller);
      return () => {
        if (session.calls.get(id) === controller) session.calls.delete(id);
        // A call that waited long is activity: the session's idle time starts when it ends.
        session.lastSeen = now();
      };
    },
  };
}

/**
 * The SDK is loaded with the first session, not at start: it and its dependencies cost about 12 MB of an
 * idle gateway's RSS (bench "RSS idle"), and most gateways never see an MCP client.
 */
let transportModule: Promise<typeof TransportModule> | undefined;
function loadTransport(): Promise<typeof TransportModule> {
  transportModule ??= import('./mcpTransport.js');
  return transportModule;
}
