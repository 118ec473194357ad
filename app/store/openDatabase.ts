import path from 'node:path';
import type { Database } from './database';
import { migrate } from './migrations';
import { APPLICATION_NAME, openEmbeddedServer } from './embedded/embeddedServer';
import { importPgliteData } from './embedded/pgliteImport';
import { createPgDatabase } from './pgDatabase';
import { MIGRATIONS } from './schema';

export interface DatabaseTarget {
  /** postgres:// URL; a secret (may hold a password). Empty counts as unset. */
  readonly databaseUrl: string | undefined;
  /** Any libpq PG* variable is set: `pg` connects with them itself. */
  readonly usePgEnv: boolean;
  /** The embedded database's directory, used when neither of the above is. */
  readonly dataDir: string;
}

export interface OpenDatabaseOptions extends DatabaseTarget {
  /** Errors of idle PostgreSQL connections; logging them is enough, the pool reconnects. */
  readonly onError: (err: Error) => void;
  /** What starting the embedded store did, worth a log line (never secrets). */
  readonly onNotice?: (notice: Record<string, unknown>, message: string) => void;
}

/** What may be logged about the database: never the user name or the password. */
export type DatabaseDescription =
  | { readonly kind: 'postgres'; readonly host: string; readonly database: string }
  | { readonly kind: 'embedded'; readonly dataDir: string };

function urlOf(target: DatabaseTarget): string | undefined {
  const url = target.databaseUrl?.trim();
  return url === undefined || url === '' ? undefined : url;
}

async function openEmbedded(opts: OpenDatabaseOptions): Promise<Database> {
  const server = await openEmbeddedServer(opts.dataDir);
  const notice = opts.onNotice ?? (() => undefined);
  if (server.layout.relocated !== undefined)
    notice({ clusterDir: server.layout.clusterDir, why: server.layout.relocated }, 'embedded PostgreSQL relocated');
  notice(
    { origin: server.origin, clusterDir: server.layout.clusterDir, user: server.layout.runAs?.name },
    'embedded PostgreSQL ready',
  );
  return createPgDatabase({
    connection: { ...server.connection, application_name: APPLICATION_NAME },
    kind: 'embedded',
    onError: opts.onError,
    afterClose: () => server.stop(),
  });
}

/** PostgreSQL when configured (DATABASE_URL or PG*), else the embedded server; migrated to the newest schema. */
export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  const url = urlOf(opts);
  const db =
    url !== undefined || opts.usePgEnv
      ? createPgDatabase({ connectionString: url, onError: opts.onError })
      : await openEmbedded(opts);
  try {
    await migrate(db, MIGRATIONS);
    if (db.kind === 'embedded') {
      const imported = await importPgliteData(opts.dataDir, db);
      if (imported !== undefined) opts.onNotice?.(imported, 'imported the data of the earlier embedded store (PGlite)');
    }
  } catch (err) {
    // The caller gets the migration's error; a failing close must not replace it, nor leave a pool open.
    await db.close().catch(() => undefined);
    throw err;
  }
  return db;
}

function describeUrl(url: string): DatabaseDescription {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not even a part of an unparsable string is shown: where the password ends is unknown.
    return { kind: 'postgres', host: '(unparsable DATABASE_URL)', database: '(unknown)' };
  }
  // `host` (with the port) has no credentials; a socket directory may come as ?host=.
  const host = parsed.host !== '' ? parsed.host : (parsed.searchParams.get('host') ?? 'localhost');
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  return { kind: 'postgres', host, database: database === '' ? '(default)' : database };
}

function describePgEnv(env: Readonly<Record<string, string | undefined>> | undefined): DatabaseDescription {
  if (env === undefined) return { kind: 'postgres', host: '(PG* environment)', database: '(PG* environment)' };
  const port = env['PGPORT'] !== undefined && env['PGPORT'] !== '' ? `:${env['PGPORT']}` : '';
  return {
    kind: 'postgres',
    host: `${env['PGHOST'] ?? 'localhost'}${port}`,
    database: env['PGDATABASE'] ?? '(default)',
  };
}

/**
 * Which database `openDatabase` picks for `target`, safe for logs. Pass `pgEnv` (the environment) to
 * name PGHOST/PGPORT/PGDATABASE when PostgreSQL is configured through PG* variables.
 */
export function describeDatabase(
  target: DatabaseTarget & { readonly pgEnv?: Readonly<Record<string, string | undefined>> },
): DatabaseDescription {
  const url = urlOf(target);
  if (url !== undefined) return describeUrl(url);
  if (target.usePgEnv) return describePgEnv(target.pgEnv);
  return { kind: 'embedded', dataDir: path.resolve(target.dataDir) };
}
