import fs from 'node:fs';
import path from 'node:path';

/**
 * What `postmaster.pid` says about a running server: PostgreSQL writes its pid, data directory,
 * start time, port and socket directory on lines 1-5 (src/include/utils/pidfile.h).
 */
export interface RunningServer {
  readonly pid: number;
  readonly port: number;
  readonly socketDir: string;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user (the server's, when we are not root).
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The command line of a process, or undefined when it is gone (Linux /proc). */
function commandOf(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return undefined;
  }
}

/** The server that holds `clusterDir`, when one runs; a stale pid file (a crash, a reboot) reads as none. */
export function runningServer(clusterDir: string): RunningServer | undefined {
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  const socketDir = (lines[4] ?? '').split(',')[0]?.trim() ?? '';
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || socketDir === '') return undefined;
  if (!isAlive(pid)) return undefined;
  // A reused pid after a reboot belongs to something else: PostgreSQL removes such a stale file itself.
  const command = commandOf(pid);
  if (command !== undefined && !command.includes('postgres')) return undefined;
  return { pid, port, socketDir };
}

/** Resolves when `pid` has exited, or false after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

/**
 * Which gateway process owns the server (a file beside the cluster). Another local process that
 * attaches to a running server leaves it alone at exit; an owner that stops while another process
 * still uses the server hands it over instead of stopping it; a server whose owner died (kill -9) is
 * adopted by the next process that finds it, which then stops it at its own exit.
 */
export class OwnerFile {
  constructor(private readonly file: string) {}

  /** The recorded owner is a live process other than this one. */
  ownedByAnother(): boolean {
    let pid: number;
    try {
      pid = Number(fs.readFileSync(this.file, 'utf8').trim());
    } catch {
      return false;
    }
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid);
  }

  /** The file names this process: it started or adopted the server, or was handed it. */
  isMine(): boolean {
    try {
      return Number(fs.readFileSync(this.file, 'utf8').trim()) === process.pid;
    } catch {
      return false;
    }
  }

  claim(pid: number = process.pid): void {
    fs.writeFileSync(this.file, `${pid}\n`);
  }

  release(): void {
    fs.rmSync(this.file, { force: true });
  }
}
