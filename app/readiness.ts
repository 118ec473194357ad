import type { Database } from './store/database';
import type { WsLinkState } from './websocket/botConnection';
import type { WsConnections } from './websocket/wsConnections';

/** /readyz: the store answers and (on an instance without callback bots) every websocket bot is connected. */
export interface Readiness {
  readonly ready: boolean;
  readonly store: boolean;
  /** Each websocket bot's link state, by key; absent when none is configured. */
  readonly websocket?: Record<string, WsLinkState>;
}

function storeAnswers(db: Database): Promise<boolean> {
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2000).unref());
  return Promise.race([
    db.query('SELECT 1').then(
      () => true,
      () => false,
    ),
    timeout,
  ]);
}

/**
 * A websocket bot that is not connected makes the instance unready only when it serves no callback
 * bot: otherwise a WeCom WebSocket outage would also cut off the callbacks a load balancer sends here.
 * Its state is in the body either way (and in wecom_ws_connected).
 */
export async function readiness(db: Database, websocket: WsConnections, servesCallbacks: boolean): Promise<Readiness> {
  const store = await storeAnswers(db);
  if (websocket.size === 0) return { ready: store, store };
  return { ready: store && (servesCallbacks || websocket.allServed()), store, websocket: websocket.states() };
}
