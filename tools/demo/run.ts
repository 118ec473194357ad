/**
 * `npm run demo`: the whole flow in one command, for a newcomer. It starts a DEMO agent (a local
 * stand-in for Dify that streams a canned answer with thinking and a picture), the gateway on the
 * embedded store in a temporary directory, and the WeCom simulator's `chat`, which prints the answer
 * as it grows, the picture it received and the timings. Everything stays on 127.0.0.1 and stops by itself.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDemoAgent } from './demoAgent';
import { freePort } from '../shared/freePort';
import { gatewayStarted } from '../shared/gatewayStarted';

const DIST = path.join(__dirname, '..', '..');
/** Throwaway credentials for this run only: the simulator and the gateway share them. */
const DEMO_BOT = {
  token: `demo${randomBytes(6).toString('hex')}`,
  encodingAesKey: randomBytes(32)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, 'A')
    .slice(0, 43),
};

async function waitStarted(url: string, gateway: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i += 1) {
    if (gateway.exitCode !== null) throw new Error('the gateway exited during start-up');
    if (await gatewayStarted(url)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the gateway did not start within 30 s');
}

function runChat(url: string): Promise<number> {
  const env = {
    PATH: process.env['PATH'] ?? '',
    WECOM_TOKEN: DEMO_BOT.token,
    WECOM_ENCODING_AES_KEY: DEMO_BOT.encodingAesKey,
  };
  const chat = spawn(
    process.execPath,
    [path.join(DIST, 'tools', 'wecom', 'cli.js'), 'chat', `${url}/wecom/callback/demo`, '你好，请演示一下'],
    { env, stdio: 'inherit', cwd: tmpdir() },
  );
  return new Promise((resolve) => chat.once('exit', (code) => resolve(code ?? 1)));
}

async function main(): Promise<number> {
  const agent = await startDemoAgent();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gateway-demo-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  process.stdout.write(`DEMO: a local demo agent (not Dify) at ${agent.baseUrl}, the gateway at ${url}\n\n`);
  const gateway = spawn(process.execPath, [path.join(DIST, 'app', 'index.js')], {
    cwd: dataDir,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      WECOM_TOKEN: DEMO_BOT.token,
      WECOM_ENCODING_AES_KEY: DEMO_BOT.encodingAesKey,
      DIFY_API_BASE_URL: agent.baseUrl,
      DIFY_API_KEY: 'demo',
      DIFY_APP_MODE: 'chat',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitStarted(url, gateway);
    return await runChat(url);
  } finally {
    gateway.kill('SIGTERM');
    await new Promise((resolve) => (gateway.exitCode !== null ? resolve(undefined) : gateway.once('exit', resolve)));
    agent.server.closeAllConnections();
    agent.server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

setTimeout(() => {
  process.stderr.write('demo took longer than 2 minutes; stopping\n');
  process.exit(2);
}, 120_000).unref();

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
