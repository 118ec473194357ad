import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type EmbeddedServer, openEmbeddedServer } from '../../app/store/embedded/embeddedServer';

/**
 * One embedded PostgreSQL server for the whole jest run, started the way the gateway starts it
 * (store/embedded), in a temporary DATA_DIR. Each store suite and harness makes its own database in
 * it, as the PostgreSQL suites do on TEST_DATABASE_URL's server. Its URL reaches the workers through
 * TEST_EMBEDDED_URL.
 */
export async function startTestCluster(): Promise<{ url: string; stop(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-test-pg-'));
  // As root the server runs as another user, who must be able to enter the directory.
  fs.chmodSync(dataDir, 0o755);
  let server: EmbeddedServer;
  try {
    server = await openEmbeddedServer(dataDir);
  } catch (err) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const { host, port, user, database } = server.connection;
  return {
    url: `postgresql://${user}@localhost:${port}/${database}?host=${encodeURIComponent(host)}`,
    stop: async () => {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(server.layout.clusterDir, { recursive: true, force: true });
    },
  };
}
