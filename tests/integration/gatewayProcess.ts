/**
 * Runs the built gateway (`dist/app/index.js`, made by `npm run build`, which `npm test` runs first)
 * as a real child process, as ops would run several instances behind one URL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../tools/shared/freePort';
import { gatewayStarted } from '../../tools/shared/gatewayStarted';

const ENTRY = path.join(__dirname, '..', '..', 'dist', 'app', 'index.js');

export interface GatewayProcess {
  readonly url: string;
  readonly output: () => string;
  /** SIGKILL: the instance dies without any cleanup. */
  kill(): Promise<void>;
  /** SIGTERM (or these signals, in a row) and wait for the exit code. */
  stop(signals?: readonly NodeJS.Signals[]): Promise<number | null>;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Until the gateway takes messages: /healthz answers earlier, while the store is still opening. */
async function waitStarted(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`gateway exited early:\n${output()}`);
    if (await gatewayStarted(url)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gateway did not start:\n${output()}`);
}

/** A line the child wrote to stdout, and when it arrived here (ms since the epoch). */
export interface StdoutLine {
  readonly text: string;
  readonly arrivedAt: number;
}

export interface SpawnedGateway {
  readonly url: string;
  readonly child: ChildProcess;
  /** stdout and stderr as they arrived. */
  readonly output: () => string;
  /** Complete stdout lines so far. */
  readonly lines: () => readonly StdoutLine[];
  /** The first stdout line matching, once it has arrived. */
  waitForLine(match: (text: string) => boolean, timeoutMs?: number): Promise<StdoutLine>;
  /** The exit code once the child has exited (null when a signal ended it). */
  exited(): Promise<number | null>;
}

function collectLines(child: ChildProcess, lines: StdoutLine[], onText: (text: string) => void): void {
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const arrivedAt = Date.now();
    const text = chunk.toString('utf8');
    onText(text);
    const parts = (partial + text).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) lines.push({ text: line, arrivedAt });
  });
  child.stderr?.on('data', (chunk: Buffer) => onText(chunk.toString('utf8')));
}

/** The built gateway as a child process, without waiting for anything; nodeArgs go before the entry. */
export async function spawnGateway(
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
): Promise<SpawnedGateway> {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run npm run build (npm test does)`);
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, ENTRY], {
    // Not the repository: a developer's .env there must not leak into the test's instances.
    cwd: tmpdir(),
    env: { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const lines: StdoutLine[] = [];
  collectLines(child, lines, (chunk) => (text += chunk));
  const output = (): string => text;
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output,
    lines: () => lines,
    async waitForLine(match, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = lines.find((line) => match(line.text));
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`no such line on stdout:\n${output()}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    exited: () => exited(child),
  };
}

export async function startGatewayProcess(env: Record<string, string>): Promise<GatewayProcess> {
  const gateway = await spawnGateway(env);
  const { url, child, output } = gateway;
  await waitStarted(url, child, output);
  return {
    url,
    output,
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop(signals: readonly NodeJS.Signals[] = ['SIGTERM']) {
      for (const signal of signals) child.kill(signal);
      return exited(child);
    },
  };
}
