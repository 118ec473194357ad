import type { Logger } from 'pino';
import type { Config } from '../config';
import type { GatewayMetrics } from '../metrics';
import { WsBotConnection, type WsLinkState } from './botConnection';
import type { WsInbound } from './wsInbound';

/**
 * Every websocket bot's connection (wecom-aibot-protocol.md §12), started with the gateway and
 * stopped after its running answers were pushed. /readyz reads their states.
 */
export class WsChannels {
  private readonly connections: WsBotConnection[];

  constructor(config: Config, inbound: WsInbound, logger: Logger, metrics?: GatewayMetrics) {
    this.connections = [...config.bots.websocket.values()].map((bot) => {
      const conn: WsBotConnection = new WsBotConnection(bot, config.websocket, logger, (frame) => void inbound.handle(conn, frame), metrics);
      return conn;
    });
  }

  get size(): number {
    return this.connections.length;
  }

  start(): void {
    for (const conn of this.connections) conn.start();
  }

  stop(): void {
    for (const conn of this.connections) conn.stop();
  }

  /** Each websocket bot's link state, by its WECOM_BOTS key. */
  states(): Record<string, WsLinkState> {
    return Object.fromEntries(this.connections.map((conn) => [conn.bot.key, conn.state]));
  }

  allConnected(): boolean {
    return this.connections.every((conn) => conn.state === 'connected');
  }
}
