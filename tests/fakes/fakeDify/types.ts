/**
 * Types of the fake Dify Service API (dify-api.md §1.2 modes, §4 stream, §9 checklist).
 * The public part is re-exported from index.ts; RunContext and friends are internal.
 */
import type { IncomingHttpHeaders } from 'node:http';

export type DifyMode = 'chat' | 'agent-chat' | 'advanced-chat' | 'agent' | 'workflow' | 'completion';

export interface FakeDifyApp {
  apiKey: string;
  mode: DifyMode;
  /** §1.1: an app whose API service is disabled answers every call with 403 forbidden. */
  disabled?: boolean;
  /** Returned by GET /info (default `Fake <mode> app`). */
  name?: string;
  /** Shallow-merged over the default GET /parameters object (e.g. to enable image upload). */
  parameters?: Record<string, unknown>;
}

/** How the SSE body is cut into socket writes (§4.1 "Chunking", §9.5b). */
export type Chunking = 'event' | 'glued' | { bytes: number } | 'random';
export type StreamEnd = 'close' | 'destroy' | 'hang';
export type ScriptedEvent = Record<string, unknown> | 'ping';

export type ScriptedReply =
  | {
      kind: 'stream';
      events: ScriptedEvent[];
      chunking?: Chunking;
      delayMs?: number;
      headerDelayMs?: number;
      end?: StreamEnd;
      jsonStyle?: JsonStyle;
    }
  | {
      kind: 'fixture';
      /** 'F1' … → tests/fixtures/dify/<name>.sse, sent byte-exact. */
      name: string;
      chunking?: Chunking;
      delayMs?: number;
      headerDelayMs?: number;
      end?: StreamEnd;
    }
  | { kind: 'error'; status: number; body: Record<string, unknown> | string; contentType?: string }
  | { kind: 'hang' };

/** compact = orjson (raw UTF-8); legacy = json.dumps (spaced, \uXXXX) — §4.1 "JSON style". */
export type JsonStyle = 'compact' | 'legacy';

export interface RecordedRequest {
  method: string;
  /** Path WITHOUT the `/v1` prefix and without the query string, e.g. `/chat-messages`. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
  at: number;
  /** Bearer token of the request, when one was sent. */
  apiKey?: string;
}

export interface FakeDify {
  readonly baseUrl: string;
  readonly origin: string;
  addApp(app: FakeDifyApp): void;
  script(apiKey: string, ...replies: ScriptedReply[]): void;
  readonly requests: RecordedRequest[];
  runRequests(apiKey?: string): RecordedRequest[];
  conversationsOf(apiKey: string, user: string): string[];
  /** Deletes the user's conversations on the Dify side: a later run naming one gets 404. */
  forgetConversations(apiKey: string, user: string): void;
  close(): Promise<void>;
}

export interface StartFakeDifyOptions {
  apps?: FakeDifyApp[];
  /** Keep-alive `event: ping` interval while a stream is open (§5.4: 10 s in Dify; off by default). */
  pingIntervalMs?: number;
}

/** The three run routes of §1.2. */
export type RunRoute = 'chat' | 'workflow' | 'completion';

/** Pre-stream error in Dify's `{code, message, status}` envelope (§5.1). */
export interface DifyError {
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
}

/** Identity of one run: what the envelope (§4.2) stamps on every event. */
export interface RunContext {
  mode: DifyMode;
  user: string;
  query: string;
  inputs: Record<string, unknown>;
  conversationId?: string;
  messageId: string;
  taskId: string;
  workflowRunId: string;
  /** Message creation time in unix seconds; constant for the whole run (§4.2). */
  createdAt: number;
}
