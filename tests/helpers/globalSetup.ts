/**
 * Before the test run: the embedded PostgreSQL server every embedded store suite uses
 * (TEST_EMBEDDED_URL), and a PostgreSQL for the PostgreSQL suites when none is configured. CI runs
 * .ci/postgres.sh itself and sets TEST_DATABASE_URL. On a developer machine that already has
 * PostgreSQL installed, the same script starts a local cluster on 127.0.0.1 (it installs nothing
 * here); without one the PostgreSQL suites are left out and this says so.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startTestCluster } from './embeddedCluster';

function postgresInstalled(): boolean {
  return existsSync('/usr/bin/pg_ctlcluster') && typeof process.getuid === 'function' && process.getuid() === 0;
}

function startSystemPostgres(): void {
  if (process.env['TEST_DATABASE_URL']) return;
  if (process.env['CI'] === 'true' || !postgresInstalled()) {
    process.stderr.write('\nPostgreSQL suites left out: set TEST_DATABASE_URL (see .ci/postgres.sh) to run them.\n');
    return;
  }
  try {
    const script = path.join(__dirname, '..', '..', '.ci', 'postgres.sh');
    const out = execFileSync('bash', [script], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, POSTGRES_NO_INSTALL: '1' },
    });
    const line = out.trim().split('\n').pop() ?? '';
    if (line.startsWith('TEST_DATABASE_URL='))
      process.env['TEST_DATABASE_URL'] = line.slice('TEST_DATABASE_URL='.length);
  } catch {
    process.stderr.write(
      '\nPostgreSQL suites left out: the local cluster could not be started; set TEST_DATABASE_URL to run them.\n',
    );
  }
}

export default async function globalSetup(): Promise<void> {
  startSystemPostgres();
  const cluster = await startTestCluster();
  process.env['TEST_EMBEDDED_URL'] = cluster.url;
  (globalThis as { embeddedTestCluster?: typeof cluster }).embeddedTestCluster = cluster;
}
