/**
 * Before the test run: make a PostgreSQL available to the store suites when none is configured.
 * CI runs .ci/postgres.sh itself and sets TEST_DATABASE_URL. On a developer machine that already has
 * PostgreSQL installed, the same script starts a local cluster on 127.0.0.1 (it installs nothing
 * here); without one the PostgreSQL suites are left out and this says so.
 */
const { execFileSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');

function postgresInstalled() {
  return existsSync('/usr/bin/pg_ctlcluster') && typeof process.getuid === 'function' && process.getuid() === 0;
}

module.exports = async function globalSetup() {
  if (process.env.TEST_DATABASE_URL) return;
  if (process.env.CI === 'true' || !postgresInstalled()) {
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
    if (line.startsWith('TEST_DATABASE_URL=')) process.env.TEST_DATABASE_URL = line.slice('TEST_DATABASE_URL='.length);
  } catch {
    process.stderr.write(
      '\nPostgreSQL suites left out: the local cluster could not be started; set TEST_DATABASE_URL to run them.\n',
    );
  }
};
