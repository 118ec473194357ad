import type { ClaimResult, MsgidClaims } from '../cache/msgidClaims';
import type { Queryable } from './database';

/**
 * Dedupe by msgid across instances: the primary key makes the claim atomic, so a retry that lands on
 * another instance gets the stream of the first (wecom-aibot-protocol.md §15.7, §15.13).
 */
export class SqlMsgidClaims implements MsgidClaims {
  constructor(private readonly db: Queryable) {}

  async claim(key: string, streamId: string): Promise<ClaimResult> {
    const inserted = await this.db.query<{ stream_id: string }>(
      'INSERT INTO msgid_claims (key, stream_id) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING stream_id',
      [key, streamId],
    );
    if (inserted.rowCount > 0) return { won: true };
    // A separate statement: its snapshot sees the row the winner committed while we waited on the key.
    const { rows } = await this.db.query<{ stream_id: string }>('SELECT stream_id FROM msgid_claims WHERE key = $1', [key]);
    const existing = rows[0]?.stream_id;
    if (existing === undefined) throw new Error('msgid claim vanished between insert and read');
    return { won: false, streamId: existing };
  }
}
