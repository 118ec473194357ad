import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BENCH_BOT } from './load/requests';
import { freePort } from '../tools/shared/freePort';
import { gatewayStarted } from '../tools/shared/gatewayStarted';

/** A process the bench started; killed when the bench ends, whatever happens. */
export interface Child {
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

const DIST = path.join(__dirname, '..');
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function launch(script: string, env: Record<string, string>, cwd: string): ChildProcess {
  const child = spawn(process.execPath, [path.join(DIST, script)], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.stderr?.on('data', (chunk: Buffer) =>
    process.stderr.write(`[${path.basename(script)}] ${chunk.toString('utf8')}`),
  );
  return child;
}

/**
 * SIGKILL for the bare servers; a gateway gets SIGTERM first (`graceMs`), so that it stops the
 * embedded PostgreSQL server it started before its data directory is removed.
 */
function stopper(child: ChildProcess, cleanup?: () => void, graceMs = 0): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        cleanup?.();
        resolve();
      };
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', done);
      child.kill(graceMs > 0 ? 'SIGTERM' : 'SIGKILL');
    });
}

/** Bench servers print `LISTENING <port>` when ready. */
export function startListening(script: string, env: Record<string, string>): Promise<Child> {
  const child = launch(script, { PORT: '0', ...env }, tmpdir());
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /LISTENING (\d+)/.exec(out);
      if (match !== null && child.pid !== undefined)
        resolve({ port: Number(match[1]), pid: child.pid, stop: stopper(child) });
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${String(code)} before listening`)));
  });
}

export function gatewayEnv(difyBaseUrl: string, port: number, dataDir: string): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    PORT: String(port),
    WECOM_TOKEN: BENCH_BOT.token,
    WECOM_ENCODING_AES_KEY: BENCH_BOT.encodingAesKey,
    DIFY_API_BASE_URL: difyBaseUrl,
    DIFY_API_KEY: 'app-bench',
    DIFY_APP_MODE: 'chat',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    // Held streams are cut at once on SIGTERM: the bench stops the gateway with thousands open.
    SHUTDOWN_GRACE_SECONDS: '0',
    ...(process.env['DATABASE_URL'] !== undefined ? { DATABASE_URL: process.env['DATABASE_URL'] } : {}),
  };
}

/** The real gateway, built in dist/, on the embedded store (a fresh data dir) or DATABASE_URL. */
export async function startGateway(difyBaseUrl: string, extraEnv: Record<string, string> = {}): Promise<Child> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gateway-bench-'));
  const env = { ...gatewayEnv(difyBaseUrl, port, dataDir), ...extraEnv };
  const child = launch('app/index.js', env, dataDir);
  child.stdout?.resume();
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error('the gateway exited during start-up');
    if ((await gatewayStarted(`http://127.0.0.1:${port}`)) && child.pid !== undefined) {
      const cleanup = (): void => rmSync(dataDir, { recursive: true, force: true });
      return { port, pid: child.pid, stop: stopper(child, cleanup, 15_000) };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the gateway did not become healthy within 30 s');
}
