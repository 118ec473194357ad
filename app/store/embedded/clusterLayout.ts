import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Where the embedded PostgreSQL keeps its files, and as whom it runs. PostgreSQL refuses to run as
 * root, so a gateway started as root (CI, a bare server) runs it as an unprivileged user: the owner of
 * an existing cluster, else `postgres` when the system has one, else `nobody`.
 */
export interface ClusterLayout {
  /** The gateway's DATA_DIR, absolute. The server's log and the owner file live here. */
  readonly dataDir: string;
  /** The PostgreSQL data directory (PGDATA). */
  readonly clusterDir: string;
  /** Where the server's Unix socket is; only its user (and root) may enter it. */
  readonly socketDir: string;
  /** The user the server runs as; undefined: this process's own user. */
  readonly runAs: { readonly uid: number; readonly gid: number; readonly name: string } | undefined;
  /** Why the cluster is not under DATA_DIR (root, and DATA_DIR is not reachable for the server's user). */
  readonly relocated: string | undefined;
}

/** A Unix socket path must fit in sockaddr_un (108 bytes, with the name `.s.PGSQL.5432`). */
const MAX_SOCKET_DIR = 90;

interface PasswdUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

function systemUsers(): PasswdUser[] {
  let text: string;
  try {
    text = fs.readFileSync('/etc/passwd', 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').flatMap((line) => {
    const [name, , uid, gid] = line.split(':');
    if (name === undefined || uid === undefined || gid === undefined) return [];
    return [{ name, uid: Number(uid), gid: Number(gid) }];
  });
}

function serverUser(clusterDir: string): PasswdUser {
  const users = systemUsers();
  const existing = fs.existsSync(clusterDir) ? fs.statSync(clusterDir) : undefined;
  if (existing !== undefined && existing.uid !== 0) {
    const owner = users.find((u) => u.uid === existing.uid);
    return { name: owner?.name ?? String(existing.uid), uid: existing.uid, gid: existing.gid };
  }
  const named = users.find((u) => u.name === 'postgres') ?? users.find((u) => u.name === 'nobody');
  if (named === undefined) throw new Error('running as root, and the system has neither a postgres nor a nobody user');
  return named;
}

/** Every existing ancestor of `dir` can be entered by someone who is neither its owner nor in its group. */
function reachableByOthers(dir: string, user: PasswdUser): boolean {
  let current = path.dirname(dir);
  for (;;) {
    const stat = fs.statSync(current, { throwIfNoEntry: false });
    if (stat !== undefined) {
      const bits = stat.uid === user.uid ? 0o100 : stat.gid === user.gid ? 0o010 : 0o001;
      if ((stat.mode & bits) === 0) return false;
    }
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

function socketDirFor(clusterDir: string): string {
  if (clusterDir.length <= MAX_SOCKET_DIR) return clusterDir;
  return path.join(os.tmpdir(), `gateway-pg-${hashOf(clusterDir)}`);
}

export function clusterLayout(dataDirOption: string): ClusterLayout {
  const dataDir = path.resolve(dataDirOption);
  let clusterDir = path.join(dataDir, 'postgres');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot)
    return { dataDir, clusterDir, socketDir: socketDirFor(clusterDir), runAs: undefined, relocated: undefined };
  let user = serverUser(clusterDir);
  let relocated: string | undefined;
  if (!reachableByOthers(clusterDir, user)) {
    // e.g. a checkout under /root (mode 700): the server's user could not enter its own directory.
    relocated = `${dataDir} cannot be entered by the user ${user.name}; the embedded PostgreSQL runs as that user`;
    clusterDir = path.join('/var/lib/wecom-dify-gateway', hashOf(dataDir), 'postgres');
    user = serverUser(clusterDir);
  }
  return { dataDir, clusterDir, socketDir: socketDirFor(clusterDir), runAs: user, relocated };
}

/**
 * As root, lets the server's user pass through DATA_DIR (o+x, not o+r: it cannot list it). A
 * directory made by mkdtemp is 0700, and the cluster inside it would otherwise be out of reach.
 */
export function allowPassage(dataDir: string): void {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return;
  const stat = fs.statSync(dataDir);
  if ((stat.mode & 0o001) === 0) fs.chmodSync(dataDir, (stat.mode & 0o7777) | 0o001);
}

/** Makes `dir` (and its parents) and hands it to the server's user, mode 0700 as PostgreSQL requires. */
export function makeServerDir(dir: string, layout: ClusterLayout): void {
  // Parents keep the usual mode: the server's user must be able to pass through them.
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  if (layout.runAs !== undefined) fs.chownSync(dir, layout.runAs.uid, layout.runAs.gid);
}
