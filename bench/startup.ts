import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort } from '../tools/shared/freePort';
import { type MemoryReading, settledMemory } from './memory';
import { gatewayEnv } from './processes';
import { commandOf, descendantsOf } from './processTree';

/** `npm start` → /healthz 200 and → /readyz 200, on a new and on an existing data directory, and the idle memory. */
export interface StartupFigures {
  readonly newDir: { readonly healthzMs: number; readonly readyzMs: number };
  readonly existingDir: { readonly healthzMs: number; readonly readyzMs: number };
  /** Two seconds after the start on the existing directory: the gateway plus its database's PSS. */
  readonly idle: MemoryReading;
}

const REPO = path.join(__dirname, '..', '..');

async function until(url: string, started: number, child: ChildProcess): Promise<number> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error('npm start exited during start-up');
    try {
      if ((await fetch(url)).ok) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${url} did not answer 200 within 60 s`);
}

/** The gateway as the README starts it; its own process group, so npm, node and nothing else get the SIGTERM. */
async function npmStart(
  env: Record<string, string>,
  port: number,
): Promise<{ child: ChildProcess; healthzMs: number; readyzMs: number; pid: number }> {
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent'], { cwd: REPO, env, detached: true, stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  const healthzMs = await until(`${base}/healthz`, started, child);
  const readyzMs = await until(`${base}/readyz`, started, child);
  // npm runs the gateway in a child of its own: memory is read from that node process down.
  const gateway = descendantsOf(child.pid ?? 0).find((pid) => commandOf(pid).includes(path.join('app', 'index.js')));
  if (gateway === undefined) throw new Error('the gateway process under npm start was not found');
  return { child, healthzMs, readyzMs, pid: gateway };
}

/** Until the gateway itself has exited (npm may exit first), so the next start finds no server of the last one. */
async function stop(child: ChildProcess, gatewayPid: number): Promise<void> {
  if (child.exitCode === null && child.pid !== undefined) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid, 'SIGTERM');
    const timer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
  for (let i = 0; i < 750 && commandOf(gatewayPid) !== ''; i += 1) await new Promise((r) => setTimeout(r, 20));
}

export async function measureStartup(difyBaseUrl: string): Promise<StartupFigures> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gateway-bench-start-'));
  const port = await freePort();
  const env = { PATH: process.env['PATH'] ?? '', ...gatewayEnv(difyBaseUrl, port, dataDir) };
  try {
    const first = await npmStart(env, port);
    await stop(first.child, first.pid);
    const again = await npmStart(env, port);
    const idle = await settledMemory({ port, pid: again.pid }, 'gateway');
    await stop(again.child, again.pid);
    return {
      newDir: { healthzMs: first.healthzMs, readyzMs: first.readyzMs },
      existingDir: { healthzMs: again.healthzMs, readyzMs: again.readyzMs },
      idle,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
