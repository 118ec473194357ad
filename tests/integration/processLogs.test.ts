/**
 * The built gateway's own log and start (issue 14 scopes 1 and 4), as real child processes: a line is
 * on stdout within a second of being logged, the last lines before a crash or a fatal error are not
 * lost, LOG_FORMAT=pretty is for people, and the port answers before the store is open.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, type Socket, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type SpawnedGateway, spawnGateway } from './gatewayProcess';

interface LogLine {
  readonly level: number;
  readonly time: string;
  readonly msg: string;
  readonly [field: string]: unknown;
}

const parse = (text: string): LogLine => JSON.parse(text) as LogLine;
const hasMsg = (msg: string) => (text: string) => text.includes(`"msg":"${msg}`);

/** A PostgreSQL address that accepts connections and never answers: the store stays "opening". */
async function startBlackHole(): Promise<{
  url: string;
  connected(): Promise<void>;
  hangUp(): void;
  close(): Promise<void>;
}> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const hangUp = (): void => {
    for (const socket of sockets) socket.destroy();
  };
  return {
    url: `postgres://gateway:gateway@127.0.0.1:${port}/nowhere`,
    connected: async () => {
      while (sockets.size === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    },
    hangUp,
    close: () => {
      hangUp();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('the gateway process', () => {
  let dataDir: string;
  let gateway: SpawnedGateway | undefined;
  let blackHole: Awaited<ReturnType<typeof startBlackHole>>;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'gateway-process-'));
  });
  beforeEach(async () => {
    blackHole = await startBlackHole();
  });
  afterEach(async () => {
    if (gateway?.child.exitCode === null) gateway.child.kill('SIGKILL');
    await gateway?.exited();
    gateway = undefined;
    await blackHole.close();
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('puts a line on stdout within a second of logging it, at start and after a request', async () => {
    gateway = await spawnGateway({ DATA_DIR: dataDir });
    const listening = await gateway.waitForLine(hasMsg('gateway listening'));
    expect(listening.arrivedAt - Date.parse(parse(listening.text).time)).toBeLessThan(1000);
    // The embedded store on a new data directory: seconds on a busy machine.
    await gateway.waitForLine(hasMsg('gateway ready'), 50_000);
    // No bot is configured: the callback is refused, and the refusal is logged (at warn).
    const refused = await fetch(`${gateway.url}/wecom/callback/x?msg_signature=a&timestamp=1&nonce=2`, {
      method: 'POST',
      body: '{"encrypt":"x"}',
    });
    expect(refused.status).toBe(404);
    const rejected = await gateway.waitForLine(hasMsg('callback rejected'), 2000);
    expect(rejected.arrivedAt - Date.parse(parse(rejected.text).time)).toBeLessThan(1000);
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited()).toBe(0);
    expect(gateway.lines().map((line) => parse(line.text).msg)).toEqual(
      expect.arrayContaining(['shutting down', 'stopped']),
    );
  }, 60_000);

  it('answers /healthz while the store opens, says so in /readyz, and 503s the rest', async () => {
    gateway = await spawnGateway({ DATABASE_URL: blackHole.url });
    await gateway.waitForLine(hasMsg('gateway listening'));
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${gateway.url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([503, { status: 'not ready', store: 'opening' }]);
    const callback = await fetch(`${gateway.url}/wecom/callback/x?msg_signature=a&timestamp=1&nonce=2`, {
      method: 'POST',
      body: '{"encrypt":"x"}',
    });
    expect(callback.status).toBe(503);
    expect(await callback.json()).toMatchObject({ code: 'STARTING' });
  });

  it('logs at fatal and exits 1 when the store cannot be opened, with every line on stdout', async () => {
    gateway = await spawnGateway({ DATABASE_URL: blackHole.url });
    await blackHole.connected();
    blackHole.hangUp();
    expect(await gateway.exited()).toBe(1);
    const fatal = parse((await gateway.waitForLine(hasMsg('cannot open the store'), 0)).text);
    expect(fatal).toMatchObject({ level: 60, database: { kind: 'postgres', database: 'nowhere' } });
    expect(gateway.output()).not.toContain('gateway:gateway');
  });

  it('stops on SIGTERM while the store is still opening, after the grace period at most', async () => {
    gateway = await spawnGateway({ DATABASE_URL: blackHole.url, SHUTDOWN_GRACE_SECONDS: '1' });
    await gateway.waitForLine(hasMsg('gateway listening'));
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited()).toBe(0);
    expect(gateway.lines().map((line) => parse(line.text).msg)).toEqual(
      expect.arrayContaining(['stopped before the store opened', 'stopped']),
    );
  });

  it('logs an invalid configuration at fatal and exits 1', async () => {
    gateway = await spawnGateway({ PORT: 'eighty', LOG_FORMAT: 'xml' });
    expect(await gateway.exited()).toBe(1);
    const fatal = parse((await gateway.waitForLine(hasMsg('configuration is invalid'), 0)).text);
    expect(fatal.problems).toEqual([
      'PORT must be a whole number between 0 and 65535',
      'LOG_FORMAT must be one of auto, json, pretty',
    ]);
  });

  it('writes the buffered lines and the error itself when an exception is not caught', async () => {
    // Fault injection from outside the product: this preload throws right after the server listens,
    // while "gateway listening" is still in the log buffer. The error must be a log line too (Node's
    // default prints it to stderr as text), written with the buffered ones before the exit.
    const preload = path.join(dataDir, 'crashAfterListen.js');
    writeFileSync(
      preload,
      `const net = require('node:net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  this.once('listening', () => setImmediate(() => { throw new Error('provoked crash'); }));
  return listen.apply(this, args);
};
`,
    );
    gateway = await spawnGateway({ DATABASE_URL: blackHole.url }, ['--require', preload]);
    expect(await gateway.exited()).toBe(1);
    const msgs = gateway.lines().map((line) => parse(line.text));
    expect(msgs.map((line) => line.msg)).toEqual(
      expect.arrayContaining(['gateway listening', 'uncaught exception; exiting']),
    );
    expect(msgs.find((line) => line.level === 60)?.['err']).toMatchObject({ message: 'provoked crash' });
  });

  it('writes human-readable lines with LOG_FORMAT=pretty', async () => {
    gateway = await spawnGateway({ DATABASE_URL: blackHole.url, LOG_FORMAT: 'pretty', SHUTDOWN_GRACE_SECONDS: '0' });
    const listening = await gateway.waitForLine((text) => text.includes('gateway listening'));
    expect(listening.text).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} .*\] INFO.*: gateway listening$/);
    expect(() => JSON.parse(listening.text) as unknown).toThrow();
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited()).toBe(0);
  });
});
