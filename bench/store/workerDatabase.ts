import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Queryable, QueryResult } from '../../app/store/database';

interface Reply {
  readonly id: number;
  readonly rows?: unknown[];
  readonly rowCount?: number;
  readonly error?: string;
}

/** The main thread's side of pgliteWorker: statements go out as messages, rows come back. */
export class WorkerDatabase implements Queryable {
  private next = 1;
  private readonly waiting = new Map<number, (reply: Reply) => void>();

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: Reply) => {
      this.waiting.get(reply.id)?.(reply);
      this.waiting.delete(reply.id);
    });
  }

  static open(dir: string): Promise<WorkerDatabase> {
    const worker = new Worker(path.join(__dirname, 'pgliteWorker.js'), { workerData: dir });
    const db = new WorkerDatabase(worker);
    return new Promise((resolve, reject) => {
      db.waiting.set(0, () => resolve(db));
      worker.once('error', reject);
    });
  }

  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (reply) => {
        if (reply.error !== undefined) reject(new Error(reply.error));
        else resolve({ rows: (reply.rows ?? []) as Row[], rowCount: reply.rowCount ?? 0 });
      });
      this.worker.postMessage({ id, sql, params: params === undefined ? undefined : [...params] });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.set(-1, () => {
        void this.worker.terminate().then(() => resolve());
      });
      this.worker.postMessage('close');
    });
  }
}
