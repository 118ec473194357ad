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
  /** GET /messages/{id}/suggested answers these (dify-api.md §6.8); undefined = the feature is off (400). */
  suggestions?: string[];
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
  | { kind: 'hang' }
  | { kind: 'humanInput'; form: HumanInputScript };

/**
 * A chatflow run that pauses at a Human Input node (docs/dify-human-input.md §2): streams `before`, then
 * `human_input_required` and `workflow_paused`, and ends. The form is answered with
 * `POST /form/human_input/{token}`; the resumed run is published to `GET /workflow/{run}/events`.
 */
export interface HumanInputScript {
  before?: string;
  nodeTitle?: string;
  content?: string;
  /** Default: approve 批准 / reject 拒绝. */
  actions?: Array<{ id: string; title: string }>;
  inputs?: Array<{ name: string; type?: 'paragraph' | 'select' | 'file'; options?: string[] }>;
  /** Seconds until the form expires (default 3600); ≤ 0 makes a form that is already expired. */
  expiresInSeconds?: number;
  /** Dify's form delivery: `webapp` has a token; `email` sends `form_token: null` (§2). */
  delivery?: 'webapp' | 'email';
  /** The resumed run's answer (default `已选择：<title>` and the inputs). */
  answer?: (submitted: FormSubmission) => string;
  /** The resumed run pauses again at this form instead of finishing. */
  then?: HumanInputScript;
}

/** An accepted form answer. */
export interface FormSubmission {
  token: string;
  action: string;
  actionTitle: string;
  inputs: Record<string, unknown>;
  user: string;
}

/** A form the fake paused at, as the tests see it. */
export interface FakeForm {
  token: string;
  apiKey: string;
  /** The user that started the run (the events stream needs the same one). */
  user: string;
  workflowRunId: string;
  nodeTitle: string;
  expiresAt: number;
  submitted: FormSubmission | undefined;
}

/** compact = orjson (raw UTF-8); legacy = json.dumps (spaced, \uXXXX) — §4.1 "JSON style". */
export type JsonStyle = 'compact' | 'legacy';

export interface RecordedRequest {
  method: string;
  /**
   * Path WITHOUT the `/v1` prefix and without the query string, e.g. `/chat-messages`; served
   * files have no prefix to strip (`/files/tools/<uuid>.png`, dify-api.md §4.7).
   */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /**
   * Parsed JSON; the raw text when it is not JSON; undefined when empty. Multipart bodies
   * (uploads) are recorded as `{fields, files: [{field, filename, contentType, size}]}`.
   */
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
  /** Every successful `POST /v1/files/upload`, in order (§6.1). */
  readonly uploads: UploadRecord[];
  /**
   * The next upload of `apiKey` that passes validation is answered with `status` and `body`
   * (Dify's `{code, message, status}` style) instead of 201, and is not recorded. FIFO.
   */
  failNextUpload(apiKey: string, status: number, body: Record<string, unknown>): void;
  /**
   * Publishes bytes as a tool file at `GET /files/tools/<uuid>.<ext>?timestamp&nonce&sign`
   * (no `/v1`, no auth: the signature is the credential, §4.7) — what `message_file` events
   * and markdown images point to.
   */
  serveFile(opts: ServeFileOptions): ServedFile;
  /** Every Human Input form a run paused at, in order. */
  readonly forms: FakeForm[];
  /** Makes a form expired on the Dify side (its submit then gets 412 human_input_form_expired). */
  expireForm(token: string): void;
  /** The next `count` form submits answer 503 (Dify down for a moment); nothing is submitted. */
  failFormSubmits(count: number): void;
  close(): Promise<void>;
}

/** One accepted upload (§6.1). */
export interface UploadRecord {
  /** The `id` returned to the client (the `upload_file_id` of later runs). */
  id: string;
  apiKey: string;
  /** The `user` form field, `DEFAULT-USER` when absent. */
  user: string;
  filename: string;
  /** The file part's Content-Type, as sent. */
  mimeType: string;
  size: number;
  /** Lowercase hex MD5 of `bytes`, to compare with what the gateway meant to send. */
  md5: string;
  bytes: Buffer;
}

/**
 * Size limits of `POST /files/upload` in MB (MiB), like Dify's `UPLOAD_*_FILE_SIZE_LIMIT`
 * (§6.1); the kind is chosen by extension as in Dify. Fractions are allowed so tests can use
 * small files. GET /parameters reports them in `system_parameters`.
 */
export interface UploadLimitsMb {
  /** jpg, jpeg, png, webp, gif, svg — default 10. */
  image: number;
  /** mp3, m4a, wav, amr, mpga — default 50. */
  audio: number;
  /** mp4, mov, mpeg, webm — default 100. */
  video: number;
  /** Everything else — default 15. */
  file: number;
}

export interface ServeFileOptions {
  bytes: Buffer;
  contentType: string;
  /** The tool file's name: sent as Content-Disposition with `?as_attachment=true`. */
  name?: string;
  /** After this many ms GET answers 403 like an expired signature (default 300 000, §4.7). */
  ttlMs?: number;
  /** Force this status (e.g. 404 for a deleted file) with a Dify error body. */
  status?: number;
  /** Answer 302 to this absolute URL (e.g. a storage bucket). */
  redirectTo?: string;
}

export interface ServedFile {
  /**
   * `/files/tools/<uuid>.<ext>?timestamp=…&nonce=…&sign=…` — relative, exactly as Dify emits it
   * when FILES_URL is unset (§4.7); the client must prefix the Dify origin.
   */
  path: string;
  /** The same on the fake's origin, `http://127.0.0.1:PORT/files/tools/…`. */
  url: string;
}

export interface StartFakeDifyOptions {
  apps?: FakeDifyApp[];
  /** Keep-alive `event: ping` interval while a stream is open (§5.4: 10 s in Dify; off by default). */
  pingIntervalMs?: number;
  /** Overrides of the upload limits (defaults 10/50/100/15 MB, §6.1). */
  uploadLimitsMb?: Partial<UploadLimitsMb>;
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
