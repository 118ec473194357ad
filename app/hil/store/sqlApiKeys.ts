import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../store/database';
import { KEY_PREFIX_LENGTH, hashApiKey, newApiKey, type ApiKeyInfo, type ApiKeys, type CreatedApiKey } from './apiKeys';

const COLUMNS = `id, name, key_prefix, active, created_by,
  (extract(epoch from created_at) * 1000)::float8 AS created_at_ms,
  (extract(epoch from revoked_at) * 1000)::float8 AS revoked_at_ms`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface KeyRow {
  id: string;
  name: string;
  key_prefix: string;
  active: boolean;
  created_by: string | null;
  created_at_ms: number;
  revoked_at_ms: number | null;
}

function fromRow(row: KeyRow): ApiKeyInfo {
  return {
    id: row.id,
    name: row.name,
    keyPrefix: row.key_prefix,
    active: row.active,
    createdBy: row.created_by,
    createdAt: row.created_at_ms,
    revokedAt: row.revoked_at_ms,
  };
}

/** The `hil_api_keys` table of schema v4. */
export class SqlApiKeys implements ApiKeys {
  constructor(private readonly db: Queryable) {}

  async create(name: string, createdBy: string | null, now = Date.now()): Promise<CreatedApiKey> {
    const key = newApiKey();
    // ON CONFLICT (name): a taken name is an answer, not an error; a revoked key keeps its name, because
    // the name is the owner of its requests and a new key under it would see them.
    const { rows } = await this.db.query<KeyRow>(
      `INSERT INTO hil_api_keys (id, name, key_hash, key_prefix, active, created_by, created_at)
       VALUES ($1, $2, $3, $4, true, $5, to_timestamp($6::double precision / 1000))
       ON CONFLICT (name) DO NOTHING
       RETURNING ${COLUMNS}`,
      [randomUUID(), name, hashApiKey(key), key.slice(0, KEY_PREFIX_LENGTH), createdBy, now],
    );
    const row = rows[0];
    return row === undefined ? { ok: false, reason: 'duplicate_name' } : { ok: true, key, info: fromRow(row) };
  }

  async list(): Promise<ApiKeyInfo[]> {
    const { rows } = await this.db.query<KeyRow>(`SELECT ${COLUMNS} FROM hil_api_keys ORDER BY created_at DESC, id`);
    return rows.map(fromRow);
  }

  async byId(id: string): Promise<ApiKeyInfo | undefined> {
    // A path parameter that is no uuid would fail PostgreSQL's cast: it simply names no key.
    if (!UUID.test(id)) return undefined;
    const { rows } = await this.db.query<KeyRow>(`SELECT ${COLUMNS} FROM hil_api_keys WHERE id = $1`, [id]);
    return rows[0] === undefined ? undefined : fromRow(rows[0]);
  }

  async revoke(id: string, now = Date.now()): Promise<ApiKeyInfo | undefined> {
    if (!UUID.test(id)) return undefined;
    const { rows } = await this.db.query<KeyRow>(
      `UPDATE hil_api_keys SET active = false, revoked_at = to_timestamp($2::double precision / 1000)
        WHERE id = $1 AND active
        RETURNING ${COLUMNS}`,
      [id, now],
    );
    return rows[0] === undefined ? this.byId(id) : fromRow(rows[0]);
  }

  async findActiveByHash(hash: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ name: string }>(
      'SELECT name FROM hil_api_keys WHERE key_hash = $1 AND active',
      [hash],
    );
    return rows[0]?.name;
  }
}
