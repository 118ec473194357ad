import { randomBytes } from 'node:crypto';
import vm from 'node:vm';
import { Client } from 'pg';
import type { Database } from '../../app/store/database';
import { createPgDatabase } from '../../app/store/pgDatabase';

export type DatabaseKind = Database['kind'];

export interface SuiteTarget {
  readonly kind: DatabaseKind;
  /** The suite's own database, e.g. to open a second pool as another instance would. */
  connectionString(): string;
}

export type SuiteBody = (getDb: () => Database, target: SuiteTarget) => void;

export function postgresTestUrl(): string | undefined {
  const url = process.env['TEST_DATABASE_URL']?.trim();
  return url === undefined || url === '' ? undefined : url;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function admin<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * PGlite (read once, to import an earlier embedded store) loads its parts with import(), which code
 * running inside jest's module sandbox may only do when node runs with --experimental-vm-modules.
 * Say so instead of failing deep inside PGlite.
 */
export function assertDynamicImport(): void {
  if (typeof (vm as { SyntheticModule?: unknown }).SyntheticModule !== 'function') {
    throw new Error('Importing a PGlite store needs NODE_OPTIONS=--experimental-vm-modules under jest');
  }
}

/** The embedded server of this test run (tests/helpers/globalSetup.ts starts it). */
export function embeddedTestUrl(): string {
  const url = process.env['TEST_EMBEDDED_URL'];
  if (url === undefined || url === '')
    throw new Error('TEST_EMBEDDED_URL is not set: run the tests through jest.config.js');
  return url;
}

/**
 * DROP DATABASE … WITH (FORCE). PostgreSQL 15 refuses FORCE to a role that is not a superuser while an
 * autovacuum worker is in the database ("must be a member of the role whose process is being
 * terminated", 42501); the worker is gone within moments, so the drop is tried again.
 */
async function dropDatabase(url: string, dbName: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await admin(url, (client) => client.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== '42501' || attempt >= 25) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** A new, empty database on a test server's URL (the role needs CREATEDB), and how to drop it. */
export async function createScratchPostgres(url: string): Promise<{ readonly url: string; drop(): Promise<void> }> {
  const dbName = `gateway_t_${randomBytes(6).toString('hex')}`;
  await admin(url, (client) => client.query(`CREATE DATABASE ${dbName}`));
  return {
    url: withDatabase(url, dbName),
    drop: () => dropDatabase(url, dbName),
  };
}

function serverSuite(name: string, kind: DatabaseKind, url: () => string, body: SuiteBody): void {
  describe(`${name} [${kind}]`, () => {
    // Random, and only [a-z0-9_]: safe to interpolate as an identifier.
    const dbName = `gateway_t_${randomBytes(6).toString('hex')}`;
    let db: Database | undefined;
    beforeAll(async () => {
      await admin(url(), (client) => client.query(`CREATE DATABASE ${dbName}`));
      db = createPgDatabase({ connectionString: withDatabase(url(), dbName), kind, onError: () => undefined });
    });
    body(() => required(db), { kind, connectionString: () => withDatabase(url(), dbName) });
    // After the body: jest runs afterAll hooks in the order they were declared, so the suite's own
    // teardown runs while the database still exists.
    afterAll(async () => {
      await db?.close();
      // FORCE: a test that left a connection open must not leave the database behind.
      await dropDatabase(url(), dbName);
    });
  });
}

function required(db: Database | undefined): Database {
  if (db === undefined) throw new Error('the suite database is not open (did beforeAll fail?)');
  return db;
}

/** Only the PostgreSQL half: for what only PostgreSQL has (several connections, a server to lose). */
export function forPostgres(name: string, body: SuiteBody): void {
  const url = postgresTestUrl();
  if (url !== undefined) {
    serverSuite(name, 'postgres', () => url, body);
  } else if (process.env['CI'] === 'true') {
    describe(`${name} [postgres]`, () => {
      it('needs TEST_DATABASE_URL', () => {
        throw new Error(
          'CI=true but TEST_DATABASE_URL is not set: PostgreSQL tests must not be skipped in CI. Run .ci/postgres.sh and export the TEST_DATABASE_URL it prints.',
        );
      });
    });
  }
  // Outside CI without a PostgreSQL the suite is not defined; tests/helpers/globalSetup.ts says so once.
}

/**
 * Runs one suite against every backend: the embedded server (the one this test run started, see
 * globalSetup.ts) always, and PostgreSQL when TEST_DATABASE_URL is set (`.ci/postgres.sh` prints
 * one). Each suite gets a fresh database on that server, dropped afterwards (the role needs CREATEDB). In CI (CI=true) a missing TEST_DATABASE_URL fails instead of skipping,
 * so the PostgreSQL half can never go silently untested.
 */
export function forEachDatabase(name: string, body: SuiteBody): void {
  serverSuite(name, 'embedded', embeddedTestUrl, body);
  forPostgres(name, body);
}

/**
 * A suite of whole processes or harnesses on one PostgreSQL (several instances): defined when
 * TEST_DATABASE_URL is set or in CI, where `requirePostgresUrl` then fails loudly instead of skipping.
 * Outside CI without PostgreSQL it is not defined; tests/helpers/globalSetup.ts says so once.
 */
export const describeWithPostgres: (name: string, body: () => void) => void =
  postgresTestUrl() !== undefined || process.env['CI'] === 'true' ? describe : (): void => undefined;

/** TEST_DATABASE_URL, or the error that stops a PostgreSQL suite from passing without one in CI. */
export function requirePostgresUrl(): string {
  const url = postgresTestUrl();
  if (url === undefined)
    throw new Error('CI=true but TEST_DATABASE_URL is not set: PostgreSQL tests must not be skipped in CI');
  return url;
}
