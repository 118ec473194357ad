/**
 * The three-step temporary-media upload of the long connection (wecom-aibot-protocol.md §12):
 * init → chunk × N (≤ 512 KB raw each, ≤ 100 chunks, any order, re-sends overwrite) → finish,
 * which checks that every chunk arrived and that size and md5 match before issuing a media_id.
 * Sessions belong to the bot that opened them; the 30-minute session expiry is not modelled.
 */
import { createHash } from 'node:crypto';
import { invalidParam, OK, serverId } from './frames';
import type { AckReply, JsonObject, UploadedMedia } from './types';

export const CHUNK_MAX_BYTES = 512 * 1024;
export const MAX_CHUNKS = 100;
const MEDIA_TYPES: ReadonlySet<string> = new Set(['file', 'image', 'voice', 'video']);

interface Session {
  readonly botId: string;
  readonly type: string;
  readonly filename: string;
  readonly totalSize: number;
  readonly totalChunks: number;
  readonly md5: string;
  readonly chunks: Map<number, Buffer>;
}

function text(body: JsonObject, key: string): string | undefined {
  const value = body[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function integer(body: JsonObject, key: string): number | undefined {
  const value = body[key];
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
}

export class UploadStore {
  readonly media = new Map<string, UploadedMedia>();
  private readonly sessions = new Map<string, Session>();

  init(botId: string, body: JsonObject): AckReply {
    const type = text(body, 'type');
    const filename = text(body, 'filename');
    const totalSize = integer(body, 'total_size');
    const totalChunks = integer(body, 'total_chunks');
    const md5 = text(body, 'md5')?.toLowerCase();
    if (!type || !MEDIA_TYPES.has(type)) return invalidParam(`type must be one of ${[...MEDIA_TYPES].join('|')}`);
    if (!filename) return invalidParam('filename');
    if (totalSize === undefined || totalSize <= 0) return invalidParam('total_size');
    // Fewer chunks than ceil(size / 512 KB) would force an oversized chunk later.
    const minChunks = Math.ceil(totalSize / CHUNK_MAX_BYTES);
    if (totalChunks === undefined || totalChunks < minChunks || totalChunks > MAX_CHUNKS) {
      return invalidParam(`total_chunks must be ${minChunks}..${MAX_CHUNKS}`);
    }
    if (!md5 || !/^[0-9a-f]{32}$/.test(md5)) return invalidParam('md5');
    const uploadId = serverId();
    this.sessions.set(uploadId, { botId, type, filename, totalSize, totalChunks, md5, chunks: new Map() });
    return { ...OK, body: { upload_id: uploadId } };
  }

  chunk(botId: string, body: JsonObject): AckReply {
    const session = this.session(botId, body);
    if (!session) return invalidParam('upload_id');
    const index = integer(body, 'chunk_index');
    if (index === undefined || index < 0 || index >= session.totalChunks) return invalidParam('chunk_index');
    const data = text(body, 'base64_data');
    const bytes = data === undefined ? undefined : Buffer.from(data, 'base64');
    if (!bytes || bytes.length === 0 || bytes.length > CHUNK_MAX_BYTES) return invalidParam('base64_data');
    session.chunks.set(index, bytes);
    return OK;
  }

  finish(botId: string, body: JsonObject): AckReply {
    const session = this.session(botId, body);
    if (!session) return invalidParam('upload_id');
    const missing: number[] = [];
    const parts: Buffer[] = [];
    for (let i = 0; i < session.totalChunks; i += 1) {
      const part = session.chunks.get(i);
      if (part) parts.push(part);
      else missing.push(i);
    }
    // The session survives a failed finish so that the client can still send missing chunks.
    if (missing.length > 0) return invalidParam(`missing chunks ${missing.join(',')}`);
    const bytes = Buffer.concat(parts);
    if (bytes.length !== session.totalSize)
      return invalidParam(`size ${bytes.length} != total_size ${session.totalSize}`);
    const md5 = createHash('md5').update(bytes).digest('hex');
    if (md5 !== session.md5) return invalidParam(`md5 ${md5} != ${session.md5}`);
    this.sessions.delete(text(body, 'upload_id') ?? '');
    const mediaId = serverId(24);
    const createdAt = String(Math.floor(Date.now() / 1000));
    const { type, filename } = session;
    this.media.set(mediaId, { mediaId, botId, type, filename, bytes, md5, createdAt });
    return { ...OK, body: { type, media_id: mediaId, created_at: createdAt } };
  }

  /** Another bot's upload_id is treated as unknown. */
  private session(botId: string, body: JsonObject): Session | undefined {
    const session = this.sessions.get(text(body, 'upload_id') ?? '');
    return session?.botId === botId ? session : undefined;
  }
}
