/**
 * "PGlite in a worker thread", one of the embedded stores the benchmark compares: PGlite runs on
 * its own thread and the main thread sends it statements. Bench-only; the product has one embedded store.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openPglite } from '../../app/store/embedded/pgliteImport';
import { PGLITE_OPTIONS } from './pgliteOptions';

interface Call {
  readonly id: number;
  readonly sql: string;
  readonly params?: unknown[];
}

async function main(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('pgliteWorker runs as a worker thread');
  const db = await openPglite(workerData as string, PGLITE_OPTIONS);
  port.on('message', (call: Call | 'close') => {
    if (call === 'close') {
      void db.close().then(() => port.postMessage({ id: -1, closed: true }));
      return;
    }
    db.query(call.sql, call.params).then(
      (result) => port.postMessage({ id: call.id, rows: result.rows, rowCount: result.rowCount }),
      (err: unknown) => port.postMessage({ id: call.id, error: err instanceof Error ? err.message : String(err) }),
    );
  });
  port.postMessage({ id: 0, ready: true });
}

void main();
