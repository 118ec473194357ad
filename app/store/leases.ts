/**
 * Which instance may hold something that must exist once across all instances: a websocket bot's
 * connection (WeCom keeps one per bot and kicks the older one, wecom-aibot-protocol.md §12). On
 * PostgreSQL a lease is a session-level advisory lock on one dedicated connection, so it is released
 * when that instance stops or dies (its connection closes); on the embedded store, which is one
 * process, every lease is granted.
 */
export interface Leases {
  /** Holds `name` for this instance if nobody else does; true while held. */
  tryHold(name: string): Promise<boolean>;
  /** Whether this instance still holds `name` (false once the session holding it broke). */
  holds(name: string): boolean;
  /** Releases every lease. */
  close(): void;
}
