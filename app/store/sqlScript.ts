import type { Queryable } from './database';

/**
 * Runs a multi-statement SQL script (a migration) on a transaction's handle. The store's transaction
 * handles offer `execScript`: PGlite's (read when importing an earlier store) `query` uses the extended protocol, which takes one statement
 * only, so its handle runs scripts through `exec` (simple protocol); the `pg` handle sends the script
 * as a query without parameters, which `pg` also sends with the simple protocol. A handle without
 * `execScript` (a test double) gets the script through `query`.
 */
export interface ScriptRunner {
  execScript(sql: string): Promise<void>;
}

function canRunScripts(tx: Queryable): tx is Queryable & ScriptRunner {
  return typeof (tx as Partial<ScriptRunner>).execScript === 'function';
}

export async function runScript(tx: Queryable, sql: string): Promise<void> {
  if (canRunScripts(tx)) await tx.execScript(sql);
  else await tx.query(sql);
}
