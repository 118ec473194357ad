/**
 * In-memory state of the fake Dify: apps by key, scripted reply queues, conversations scoped
 * to (app, user) as in dify-api.md §1.3, the open streams by task id (for §6.2 stop), and the
 * uploads and signed files (§6.1, §4.7).
 */
import { randomUUID } from 'node:crypto';
import { FakeHumanInput } from './humanInput';
import { ServedFiles } from './servedFiles';
import type { SseStream } from './sseWriter';
import type { FakeDifyApp, RecordedRequest, RunContext, ScriptedReply, UploadLimitsMb, UploadRecord } from './types';

/** Dify's UPLOAD_{IMAGE,AUDIO,VIDEO,}_FILE_SIZE_LIMIT defaults in MB (§6.1). */
export const DEFAULT_UPLOAD_LIMITS_MB: UploadLimitsMb = { image: 10, audio: 50, video: 100, file: 15 };

export interface UploadFailure {
  status: number;
  body: Record<string, unknown>;
}

/** An open stream that a stop call can end (§6.2). */
export interface OpenTask {
  apiKey: string;
  user: string;
  ctx: RunContext;
  stream: SseStream;
  /** Encodes the stop events in the stream's JSON style. */
  stopFrames(): Buffer[];
}

const ownerKey = (apiKey: string, user: string): string => `${apiKey}\u0000${user}`;

export class FakeDifyState {
  readonly apps = new Map<string, FakeDifyApp>();
  readonly requests: RecordedRequest[] = [];
  readonly tasks = new Map<string, OpenTask>();
  readonly uploads: UploadRecord[] = [];
  readonly served = new ServedFiles();
  readonly humanInput = new FakeHumanInput();
  uploadLimitsMb: UploadLimitsMb = { ...DEFAULT_UPLOAD_LIMITS_MB };
  /** The workspace every file belongs to (`tenant_id` of upload answers). */
  readonly tenantId = randomUUID();
  private readonly uploadFailures = new Map<string, UploadFailure[]>();
  /** (app, user) → EndUser id: Dify creates one end-user row per app and `user` string (§1.3). */
  private readonly endUsers = new Map<string, string>();
  private readonly queues = new Map<string, ScriptedReply[]>();
  /** conversation id → owners. Usually one; a fixture's id may be registered for several. */
  private readonly owners = new Map<string, Set<string>>();
  private readonly byOwner = new Map<string, string[]>();

  addApp(app: FakeDifyApp): void {
    this.apps.set(app.apiKey, { ...app });
  }

  script(apiKey: string, replies: ScriptedReply[]): void {
    const queue = this.queues.get(apiKey) ?? [];
    queue.push(...replies);
    this.queues.set(apiKey, queue);
  }

  /** FIFO: the next scripted reply of the app, or undefined for the default reply. */
  nextReply(apiKey: string): ScriptedReply | undefined {
    return this.queues.get(apiKey)?.shift();
  }

  /** §1.3: found only for the same app and the same end user. */
  ownsConversation(apiKey: string, user: string, id: string): boolean {
    return this.owners.get(id)?.has(ownerKey(apiKey, user)) ?? false;
  }

  /** §4.2: conversations are created before streaming, with a UUIDv4 id. */
  createConversation(apiKey: string, user: string): string {
    const id = randomUUID();
    this.registerConversation(apiKey, user, id);
    return id;
  }

  registerConversation(apiKey: string, user: string, id: string): void {
    const key = ownerKey(apiKey, user);
    const owners = this.owners.get(id) ?? new Set<string>();
    if (owners.has(key)) return;
    owners.add(key);
    this.owners.set(id, owners);
    this.byOwner.set(key, [...(this.byOwner.get(key) ?? []), id]);
  }

  /** Simulates conversations deleted in Dify (or an app whose key was replaced): their ids give 404. */
  forgetConversations(apiKey: string, user: string): void {
    const key = ownerKey(apiKey, user);
    for (const id of this.byOwner.get(key) ?? []) this.owners.get(id)?.delete(key);
    this.byOwner.delete(key);
  }

  conversationsOf(apiKey: string, user: string): string[] {
    return [...(this.byOwner.get(ownerKey(apiKey, user)) ?? [])];
  }

  failNextUpload(apiKey: string, failure: UploadFailure): void {
    this.uploadFailures.set(apiKey, [...(this.uploadFailures.get(apiKey) ?? []), failure]);
  }

  nextUploadFailure(apiKey: string): UploadFailure | undefined {
    return this.uploadFailures.get(apiKey)?.shift();
  }

  /** The `created_by` of an upload: a stable UUID per (app, user). */
  endUserId(apiKey: string, user: string): string {
    const key = ownerKey(apiKey, user);
    const id = this.endUsers.get(key) ?? randomUUID();
    this.endUsers.set(key, id);
    return id;
  }
}
