import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IMPORT_MARKER, openPglite } from '../../../../app/store/embedded/pgliteImport';
import { openDatabase } from '../../../../app/store/openDatabase';
import { assertDynamicImport } from '../../../helpers/databases';

/** A DATA_DIR of the earlier PGlite store is carried over into the embedded server once. */
describe('importing an earlier PGlite store', () => {
  let dataDir: string;
  beforeAll(() => assertDynamicImport());
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-pglite-'));
    fs.chmodSync(dataDir, 0o755);
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  async function fillPglite(): Promise<void> {
    const lite = await openPglite(dataDir);
    try {
      await lite.query(
        "INSERT INTO conversations (key, agent_id, dify_user, conversation_id) VALUES ('s:u1', 'default', 'u1', 'conv-1')",
      );
      await lite.query(
        `INSERT INTO messages (stream_id, msgid, bot_key, aibotid, userid, chattype, msgtype, received_at, status, answer)
         VALUES ('s_1', 'm1', 'default', 'aib', 'u1', 'single', 'text', '2026-11-30T10:00:00Z', 'answered', '好的')`,
      );
      await lite.query(
        `INSERT INTO hil_task_syncs (owner, task_id, document, updated_at)
         VALUES ('agents', 't1', '{"answer": "好的", "n": [1, 2]}', now())`,
      );
      await lite.query("INSERT INTO settings (name, value) VALUES ('secret_key', 'k-123')");
      // More than one batch of the import (2000 rows).
      await lite.query(
        `INSERT INTO msgid_claims (key, stream_id) SELECT 'claim-' || n, 's-' || n FROM generate_series(1, 2001) AS n`,
      );
    } finally {
      await lite.close();
    }
  }

  // PGlite takes seconds to open a directory, twice here (filled, then imported).
  it('copies every row once and leaves a marker; a second start imports nothing', async () => {
    await fillPglite();
    const notices: string[] = [];
    const target = { databaseUrl: undefined, usePgEnv: false, dataDir, onError: () => undefined };
    const db = await openDatabase({ ...target, onNotice: (_fields, message) => notices.push(message) });
    try {
      expect(db.kind).toBe('embedded');
      expect((await db.query('SELECT conversation_id FROM conversations')).rows).toEqual([
        { conversation_id: 'conv-1' },
      ]);
      const { rows } = await db.query<{ answer: string; received_at: Date }>(
        'SELECT answer, received_at FROM messages',
      );
      expect(rows[0]?.answer).toBe('好的');
      expect(rows[0]?.received_at.toISOString()).toBe('2026-11-30T10:00:00.000Z');
      expect((await db.query('SELECT document FROM hil_task_syncs')).rows).toEqual([
        { document: { answer: '好的', n: [1, 2] } },
      ]);
      expect((await db.query('SELECT value FROM settings')).rows).toEqual([{ value: 'k-123' }]);
      expect(
        (await db.query('SELECT count(*)::int AS n, count(DISTINCT key)::int AS keys FROM msgid_claims')).rows,
      ).toEqual([{ n: 2001, keys: 2001 }]);
      expect(notices).toContain('imported the data of the earlier embedded store (PGlite)');
      expect(JSON.parse(fs.readFileSync(path.join(dataDir, IMPORT_MARKER), 'utf8')).rows.conversations).toBe(1);
      await db.query("INSERT INTO settings (name, value) VALUES ('later', 'v')");
    } finally {
      await db.close();
    }
    notices.length = 0;
    const again = await openDatabase({ ...target, onNotice: (_fields, message) => notices.push(message) });
    try {
      expect(notices).not.toContain('imported the data of the earlier embedded store (PGlite)');
      expect((await again.query('SELECT count(*)::int AS n FROM settings')).rows).toEqual([{ n: 2 }]);
    } finally {
      await again.close();
    }
  }, 120_000);
});
