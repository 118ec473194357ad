import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openEmbeddedServer } from '../../../../app/store/embedded/embeddedServer';
import { isAlive, runningServer } from '../../../../app/store/embedded/postmaster';
import { createPgDatabase } from '../../../../app/store/pgDatabase';
import { createLeases } from '../../../../app/store/advisoryLeases';
import { type GatewayProcess, startGatewayProcess } from '../../../integration/gatewayProcess';

/** The embedded PostgreSQL server's life: created, attached to, adopted after its starter died, stopped. */
describe('embedded PostgreSQL server', () => {
  let tmp: string;
  // Whatever a test asserts, no gateway it started outlives it (jest would wait for them).
  const started: GatewayProcess[] = [];
  const startGateway = async (env: Record<string, string>): Promise<GatewayProcess> => {
    const gateway = await startGatewayProcess(env);
    started.push(gateway);
    return gateway;
  };
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-embedded-'));
    fs.chmodSync(tmp, 0o755);
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((gateway) => gateway.stop()));
    const left = runningServer(path.join(tmp, 'postgres'));
    if (left !== undefined) process.kill(left.pid, 'SIGINT');
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('creates a cluster once, lets a second local user attach, and locks across both', async () => {
    const first = await openEmbeddedServer(tmp);
    const second = await openEmbeddedServer(tmp);
    const a = createPgDatabase({ connection: first.connection, onError: () => undefined });
    const b = createPgDatabase({ connection: second.connection, onError: () => undefined });
    const [leaseA, leaseB] = [createLeases(a), createLeases(b)];
    try {
      expect(first.origin).toBe('created');
      expect(second.origin).toBe('adopted'); // same process: the recorded owner is this one
      expect(fs.existsSync(path.join(first.layout.clusterDir, 'PG_VERSION'))).toBe(true);
      expect(fs.statSync(first.layout.clusterDir).mode & 0o777).toBe(0o700);
      expect(await leaseA.tryHold('bot')).toBe(true);
      expect(await leaseB.tryHold('bot')).toBe(false);
      await a.query('CREATE TABLE t (v text)');
      await b.query("INSERT INTO t VALUES ('seen by both')");
      expect((await a.query('SELECT v FROM t')).rows).toEqual([{ v: 'seen by both' }]);
    } finally {
      leaseA.close();
      leaseB.close();
      await a.close();
      await b.close();
      await first.stop();
    }
    expect(runningServer(first.layout.clusterDir)).toBeUndefined();
  });

  it('puts the socket in the temp directory when DATA_DIR is too deep for a Unix socket path', async () => {
    const deep = path.join(tmp, 'a-rather-long-directory-name-'.repeat(3), 'data');
    const server = await openEmbeddedServer(deep);
    const db = createPgDatabase({ connection: server.connection, onError: () => undefined, afterClose: server.stop });
    try {
      expect(server.layout.clusterDir.length).toBeGreaterThan(90);
      expect(server.connection.host.startsWith(os.tmpdir())).toBe(true);
      expect((await db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await db.close();
    }
  });

  it('reopens an existing cluster with its data after a stop', async () => {
    const first = await openEmbeddedServer(tmp);
    const db = createPgDatabase({ connection: first.connection, onError: () => undefined, afterClose: first.stop });
    await db.query('CREATE TABLE kept (v int)');
    await db.query('INSERT INTO kept VALUES (42)');
    await db.close();
    const again = await openEmbeddedServer(tmp);
    const db2 = createPgDatabase({ connection: again.connection, onError: () => undefined, afterClose: again.stop });
    try {
      expect(again.origin).toBe('started');
      expect((await db2.query('SELECT v FROM kept')).rows).toEqual([{ v: 42 }]);
    } finally {
      await db2.close();
    }
  });

  it('adopts the server of a gateway that was killed, and stops it at its own close', async () => {
    const gateway = await startGateway({ DATA_DIR: tmp });
    await waitReady(gateway.url);
    const orphan = runningServer(path.join(tmp, 'postgres'));
    expect(orphan).toBeDefined();
    await gateway.kill();
    expect(isAlive(orphan?.pid ?? -1)).toBe(true); // SIGKILL leaves the server running
    const adopted = await openEmbeddedServer(tmp);
    expect(adopted.origin).toBe('adopted');
    expect(runningServer(adopted.layout.clusterDir)?.pid).toBe(orphan?.pid);
    await adopted.stop();
    expect(isAlive(orphan?.pid ?? -1)).toBe(false);
  });

  it('an owner that stops while another gateway uses the server hands it over instead of stopping it', async () => {
    const a = await startGateway({ DATA_DIR: tmp });
    await waitReady(a.url);
    const b = await startGateway({ DATA_DIR: tmp });
    await waitReady(b.url);
    const server = runningServer(path.join(tmp, 'postgres'));
    await waitFor(() => b.output().includes('"origin":"attached"'));
    expect(await a.stop()).toBe(0);
    expect(isAlive(server?.pid ?? -1)).toBe(true);
    expect(fs.readFileSync(path.join(tmp, 'postgres.owner'), 'utf8').trim()).not.toBe('');
    expect((await fetch(`${b.url}/readyz`)).status).toBe(200);
    expect(await b.stop()).toBe(0);
    expect(isAlive(server?.pid ?? -1)).toBe(false);
  }, 60_000);

  // Ctrl-C on `npm start` signals the gateway twice: from the terminal and from npm.
  it('a gateway that stops on SIGINT twice drains once and stops the server it started', async () => {
    const gateway = await startGateway({ DATA_DIR: tmp });
    await waitReady(gateway.url);
    const server = runningServer(path.join(tmp, 'postgres'));
    expect(server).toBeDefined();
    expect(await gateway.stop(['SIGINT', 'SIGINT'])).toBe(0);
    await waitFor(() => gateway.output().includes('"msg":"stopped"'));
    expect(isAlive(server?.pid ?? -1)).toBe(false);
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(check()).toBe(true);
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if ((await fetch(`${url}/readyz`)).ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the gateway did not become ready');
}
