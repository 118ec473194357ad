import { MIGRATIONS } from '../../../app/store/schema';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeDatabase, openDatabase } from '../../../app/store/openDatabase';
import { forPostgres } from '../../helpers/databases';

const noError = (): void => undefined;

describe('openDatabase, embedded', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-store-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('picks the embedded database without DATABASE_URL or PG*, creates its directory, migrates, and keeps data', async () => {
    const dataDir = path.join(tmp, 'nested', 'data');
    const target = { databaseUrl: undefined, usePgEnv: false, dataDir };
    const db = await openDatabase({ ...target, onError: noError });
    try {
      expect(db.kind).toBe('embedded');
      expect(fs.existsSync(dataDir)).toBe(true);
      await db.query(
        "INSERT INTO conversations (key, agent_id, dify_user, conversation_id) VALUES ('k', 'a', 'u', 'c')",
      );
    } finally {
      await db.close();
    }
    const again = await openDatabase({ ...target, databaseUrl: '  ', onError: noError });
    try {
      expect((await again.query('SELECT version FROM schema_migrations')).rows).toEqual(
        MIGRATIONS.map(({ version }) => ({ version })),
      );
      expect((await again.query('SELECT conversation_id FROM conversations')).rows).toEqual([{ conversation_id: 'c' }]);
    } finally {
      await again.close();
    }
  });
});

describe('openDatabase, PostgreSQL unreachable', () => {
  it('fails without the password in the error', async () => {
    const opening = openDatabase({
      databaseUrl: 'postgres://gw:hunter2-secret@127.0.0.1:1/gw',
      usePgEnv: false,
      dataDir: '/nonexistent',
      onError: noError,
    });
    // Node's network errors come from outside jest's sandbox: toBeInstanceOf(Error) would not hold.
    const err = (await opening.catch((e: unknown) => e)) as Error;
    expect(err.message).toEqual(expect.any(String));
    expect(`${err.message} ${err.stack ?? ''} ${JSON.stringify(err)}`).not.toContain('hunter2');
  });
});

forPostgres('openDatabase', (_getDb, target) => {
  it('picks PostgreSQL for DATABASE_URL and migrates it', async () => {
    const db = await openDatabase({
      databaseUrl: target.connectionString(),
      usePgEnv: false,
      dataDir: '/nonexistent',
      onError: noError,
    });
    try {
      expect(db.kind).toBe('postgres');
      expect((await db.query('SELECT version FROM schema_migrations')).rows).toEqual(
        MIGRATIONS.map(({ version }) => ({ version })),
      );
    } finally {
      await db.close();
    }
  });

  it('picks PostgreSQL for usePgEnv, and pg connects with the PG* variables', async () => {
    const url = new URL(target.connectionString());
    const vars = {
      PGHOST: url.hostname,
      PGPORT: url.port,
      PGUSER: url.username,
      PGPASSWORD: url.password,
      PGDATABASE: url.pathname.slice(1),
    };
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    Object.assign(process.env, vars);
    try {
      const db = await openDatabase({
        databaseUrl: undefined,
        usePgEnv: true,
        dataDir: '/nonexistent',
        onError: noError,
      });
      try {
        expect(db.kind).toBe('postgres');
        expect((await db.query<{ db: string }>('SELECT current_database() AS db')).rows).toEqual([
          { db: vars.PGDATABASE },
        ]);
      } finally {
        await db.close();
      }
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});

describe('describeDatabase', () => {
  const base = { databaseUrl: undefined, usePgEnv: false, dataDir: './data' };

  it('names host, port and database of DATABASE_URL, never the user or the password', () => {
    const described = describeDatabase({
      ...base,
      databaseUrl: 'postgres://alice:s3cr%40t@db.internal:6432/gateway?sslmode=require',
    });
    expect(described).toEqual({ kind: 'postgres', host: 'db.internal:6432', database: 'gateway' });
    expect(JSON.stringify(described)).not.toMatch(/alice|s3cr/);
  });

  it('shows nothing of a URL it cannot parse', () => {
    const described = describeDatabase({ ...base, databaseUrl: 'postgres://alice:pa ss@[bad' });
    expect(described).toEqual({ kind: 'postgres', host: '(unparsable DATABASE_URL)', database: '(unknown)' });
  });

  it('describes PG* variables without the user or the password', () => {
    const pgEnv = { PGHOST: 'pg.local', PGPORT: '5433', PGDATABASE: 'gw', PGUSER: 'alice', PGPASSWORD: 'secret' };
    const described = describeDatabase({ ...base, usePgEnv: true, pgEnv });
    expect(described).toEqual({ kind: 'postgres', host: 'pg.local:5433', database: 'gw' });
    expect(describeDatabase({ ...base, usePgEnv: true })).toEqual({
      kind: 'postgres',
      host: '(PG* environment)',
      database: '(PG* environment)',
    });
  });

  it('gives the embedded data directory as an absolute path', () => {
    expect(describeDatabase(base)).toEqual({ kind: 'embedded', dataDir: path.resolve('./data') });
  });
});
