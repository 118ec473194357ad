import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../store/database';
import type { OperatorRecord, Operators } from './operators';

const COLUMNS = `id, email, full_name, password_hash, is_active, is_superuser,
  (extract(epoch from created_at) * 1000)::float8 AS created_at_ms`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface OperatorRow {
  id: string;
  email: string;
  full_name: string | null;
  password_hash: string;
  is_active: boolean;
  is_superuser: boolean;
  created_at_ms: number;
}

function fromRow(row: OperatorRow): OperatorRecord {
  return {
    id: row.id,
    email: row.email,
    fullName: row.full_name,
    passwordHash: row.password_hash,
    isActive: row.is_active,
    isSuperuser: row.is_superuser,
    createdAt: row.created_at_ms,
  };
}

/** The `operators` table of schema v4. */
export class SqlOperators implements Operators {
  constructor(private readonly db: Queryable) {}

  async byEmail(email: string): Promise<OperatorRecord | undefined> {
    const { rows } = await this.db.query<OperatorRow>(`SELECT ${COLUMNS} FROM operators WHERE email = $1`, [email]);
    return rows[0] === undefined ? undefined : fromRow(rows[0]);
  }

  async byId(id: string): Promise<OperatorRecord | undefined> {
    // A token's subject that is no uuid would fail PostgreSQL's cast: it simply names nobody.
    if (!UUID.test(id)) return undefined;
    const { rows } = await this.db.query<OperatorRow>(`SELECT ${COLUMNS} FROM operators WHERE id = $1`, [id]);
    return rows[0] === undefined ? undefined : fromRow(rows[0]);
  }

  async create(
    email: string,
    fullName: string | null,
    passwordHash: string,
    now = Date.now(),
  ): Promise<{ readonly operator: OperatorRecord; readonly created: boolean }> {
    const { rows } = await this.db.query<OperatorRow>(
      `INSERT INTO operators (id, email, full_name, password_hash, is_active, is_superuser, created_at)
       VALUES ($1, $2, $3, $4, true, true, to_timestamp($5::double precision / 1000))
       ON CONFLICT (email) DO NOTHING
       RETURNING ${COLUMNS}`,
      [randomUUID(), email, fullName, passwordHash, now],
    );
    if (rows[0] !== undefined) return { operator: fromRow(rows[0]), created: true };
    const existing = await this.byEmail(email);
    // Only a delete between the conflicting INSERT and this read gets here (nothing deletes operators).
    if (existing === undefined) throw new Error('operator conflicted on its e-mail but is gone');
    return { operator: existing, created: false };
  }
}
