/**
 * In-memory state of the fake Dify: apps by key, scripted reply queues, conversations scoped
 * to (app, user) as in dify-api.md §1.3, and the open streams by task id (for §6.2 stop).
 */
import { randomUUID } from 'node:crypto';
import type { SseStream } from './sseWriter';
import type { FakeDifyApp, RecordedRequest, RunContext, ScriptedReply } from './types';

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
}
