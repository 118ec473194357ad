import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Rejects `db.query` / `db.transaction` made from inside a transaction's work on the same database.
 * On the embedded database (one connection) such a call waits for the transaction, which waits for
 * the call: a silent deadlock. On PostgreSQL it would quietly run outside the transaction on another
 * connection. Both are bugs, so both backends fail the same way, loudly, and code that passes the
 * tests on one backend behaves the same on the other.
 */
export class TransactionGuard {
  private readonly scope = new AsyncLocalStorage<{ open: boolean }>();

  assertOutside(what: string): void {
    // `open` rather than mere presence: work started inside a transaction but still running after it
    // ended (not awaited) may use the database normally.
    if (this.scope.getStore()?.open === true) {
      throw new Error(`${what} called inside a transaction on the same database; use the transaction's handle`);
    }
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const marker = { open: true };
    try {
      return await this.scope.run(marker, work);
    } finally {
      marker.open = false;
    }
  }
}
