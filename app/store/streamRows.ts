import { valuesList } from './batchWriter';
import type { ClaimResult, StreamImage, StreamMeta, StreamRecord, StreamSnapshot } from './streamStore';
import type { Database } from './database';

interface StreamRow {
  id: string;
  msgid: string;
  bot_key: string;
  aibotid: string;
  userid: string;
  chatid: string | null;
  chattype: string;
  response_url: string | null;
  received_ms: number | string;
  content: string;
  finish: boolean;
  image_count: number;
  stale: boolean;
  req_id?: string | null;
}

function toRecord(row: StreamRow, images: readonly StreamImage[]): StreamRecord {
  const meta: StreamMeta = {
    id: row.id,
    msgid: row.msgid,
    botKey: row.bot_key,
    aibotid: row.aibotid,
    userid: row.userid,
    chatid: row.chatid ?? undefined,
    chattype: row.chattype === 'group' ? 'group' : 'single',
    responseUrl: row.response_url ?? undefined,
    receivedAt: Number(row.received_ms),
    ...(typeof row.req_id === 'string' ? { reqId: row.req_id } : {}),
  };
  const snapshot: StreamSnapshot =
    images.length > 0
      ? { content: row.content, finish: row.finish, images }
      : { content: row.content, finish: row.finish };
  return { meta, snapshot, stale: row.stale };
}

const SELECT_STREAM = `SELECT id, msgid, bot_key, aibotid, userid, chatid, chattype, response_url,
       extract(epoch from received_at) * 1000 AS received_ms, content, finish, image_count`;

const STREAM_COLUMNS =
  '(id, msgid, bot_key, aibotid, userid, chatid, chattype, response_url, received_at, content, finish, owner_instance, req_id)';
const STREAM_VALUES =
  '($1, $2, $3, $4, $5, $6, $7, $8, to_timestamp($9::double precision / 1000), $10, $11::boolean, $12, $13)';

function streamParams(meta: StreamMeta, initial: StreamSnapshot, owner: string): unknown[] {
  return [
    meta.id,
    meta.msgid,
    meta.botKey,
    meta.aibotid,
    meta.userid,
    meta.chatid ?? null,
    meta.chattype,
    meta.responseUrl ?? null,
    meta.receivedAt,
    initial.content,
    initial.finish,
    owner,
    meta.reqId ?? null,
  ];
}

/** The SQL of the `streams`, `stream_images` and `msgid_claims` tables. */
export class StreamRows {
  constructor(private readonly db: Database) {}

  async insert(meta: StreamMeta, initial: StreamSnapshot, owner: string): Promise<void> {
    await this.db.query(
      `INSERT INTO streams ${STREAM_COLUMNS} VALUES ${STREAM_VALUES}`,
      streamParams(meta, initial, owner),
    );
  }

  /**
   * The msgid claim and the stream row in one statement (one round trip on the hot path). The primary
   * key of msgid_claims makes it atomic across instances; a loser reads the winner's stream id in a
   * second statement, whose snapshot sees the row the winner committed while we waited on the key.
   */
  async insertClaimed(
    claimKey: string,
    meta: StreamMeta,
    initial: StreamSnapshot,
    owner: string,
  ): Promise<ClaimResult> {
    const inserted = await this.db.query(
      `WITH claim AS (INSERT INTO msgid_claims (key, stream_id) VALUES ($14, $1) ON CONFLICT (key) DO NOTHING RETURNING stream_id)
       INSERT INTO streams ${STREAM_COLUMNS} SELECT ${STREAM_VALUES.slice(1, -1)} FROM claim`,
      [...streamParams(meta, initial, owner), claimKey],
    );
    if (inserted.rowCount > 0) return { won: true };
    const { rows } = await this.db.query<{ stream_id: string }>('SELECT stream_id FROM msgid_claims WHERE key = $1', [
      claimKey,
    ]);
    const existing = rows[0]?.stream_id;
    if (existing === undefined) throw new Error('msgid claim vanished between insert and read');
    return { won: false, streamId: existing };
  }

  /** One query per poll; a second one only for a finished stream that has images. */
  async read(id: string, ownerTimeoutMs: number): Promise<StreamRecord | undefined> {
    const { rows } = await this.db.query<StreamRow>(
      `${SELECT_STREAM},
              (NOT finish AND heartbeat_at < now() - make_interval(secs => $2::double precision / 1000)) AS stale
         FROM streams WHERE id = $1`,
      [id, ownerTimeoutMs],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    if (!row.finish || row.image_count === 0) return toRecord(row, []);
    const images = await this.db.query<StreamImage>(
      'SELECT base64, md5 FROM stream_images WHERE stream_id = $1 ORDER BY position',
      [id],
    );
    return toRecord(row, images.rows);
  }

  async update(id: string, content: string): Promise<void> {
    await this.db.query(
      'UPDATE streams SET content = $2, heartbeat_at = now(), updated_at = now() WHERE id = $1 AND NOT finish',
      [id, content],
    );
  }

  /**
   * Running streams of `botKey` that no instance will finish: owned by another instance, or by this
   * one before `startedAt` (a reused INSTANCE_ID), received within `maxAgeMs`. Only the holder of a
   * long-connection bot's lease asks, right after taking it over (§12): their owner lost it.
   */
  async orphans(botKey: string, owner: string, startedAt: number, maxAgeMs: number): Promise<StreamRecord[]> {
    // The partial index streams_running_by_owner holds exactly the running rows.
    const { rows } = await this.db.query<StreamRow>(
      `${SELECT_STREAM}, false AS stale, req_id FROM streams
        WHERE NOT finish AND bot_key = $1
          AND (owner_instance <> $2 OR received_at < to_timestamp($3::double precision / 1000))
          AND received_at > now() - make_interval(secs => $4::double precision / 1000)
        ORDER BY received_at LIMIT 1000`,
      [botKey, owner, startedAt, maxAgeMs],
    );
    return rows.map((row) => toRecord(row, []));
  }

  /** The final snapshot and its images become visible together, and only once: true for the call that did it. */
  /** Finishes streams without images in one statement: the embedded store's batched final snapshots. */
  async finishMany(rows: readonly { readonly id: string; readonly content: string }[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      `UPDATE streams AS s SET content = v.content, finish = true, heartbeat_at = now(), updated_at = now()
         FROM (VALUES ${valuesList(rows.length, ['::text', '::text'])}) AS v (id, content)
        WHERE s.id = v.id AND NOT s.finish`,
      rows.flatMap((row) => [row.id, row.content]),
    );
  }

  async finish(id: string, content: string, images: readonly StreamImage[]): Promise<boolean> {
    if (images.length === 0) {
      // One statement is atomic on its own; no transaction round trips on the common path.
      const updated = await this.db.query(
        'UPDATE streams SET content = $2, finish = true, heartbeat_at = now(), updated_at = now() WHERE id = $1 AND NOT finish',
        [id, content],
      );
      return updated.rowCount > 0;
    }
    return this.db.transaction(async (tx) => {
      const updated = await tx.query(
        'UPDATE streams SET content = $2, finish = true, image_count = $3, heartbeat_at = now(), updated_at = now() WHERE id = $1 AND NOT finish',
        [id, content, images.length],
      );
      if (updated.rowCount === 0) return false;
      for (const [position, image] of images.entries()) {
        await tx.query('INSERT INTO stream_images (stream_id, position, base64, md5) VALUES ($1, $2, $3, $4)', [
          id,
          position,
          image.base64,
          image.md5,
        ]);
      }
      return true;
    });
  }

  async beat(owner: string): Promise<void> {
    await this.db.query('UPDATE streams SET heartbeat_at = now() WHERE owner_instance = $1 AND NOT finish', [owner]);
  }
}
