import type { Logger } from 'pino';
import type { Config } from '../config';
import { errorFields } from '../logger';
import type { GatewayMetrics } from '../metrics';
import type { Leases } from '../store/leases';
import { type TakeoverVerdict, WsBotConnection, type WsLinkState } from './botConnection';
import type { WsInbound } from './wsInbound';
import type { WsOrphans } from './wsOrphans';

/** The lease that lets one instance of the gateway hold a bot's connection (store/leases.ts). */
function leaseName(conn: WsBotConnection): string {
  return `wecom-ws:${conn.bot.botId}`;
}

/**
 * Every websocket bot's connection (wecom-aibot-protocol.md §12), started with the gateway and
 * stopped after its running answers were pushed. WeCom keeps one connection per bot, so when several
 * instances share one PostgreSQL only the holder of a bot's lease connects; the others stand by and
 * take over within `leaseRetryMs` when it stops or dies, and finish the answers a dead holder left
 * running (wsOrphans). /readyz reads their states.
 */
export class WsConnections {
  private readonly connections: WsBotConnection[];
  private readonly log: Logger;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly config: Config,
    inbound: WsInbound,
    logger: Logger,
    private readonly leases: Leases,
    metrics?: GatewayMetrics,
    /** Finishes what the bot's previous holder left running, once this instance holds the bot. */
    private readonly orphans?: WsOrphans,
  ) {
    this.log = logger;
    this.connections = [...config.bots.websocket.values()].map((bot) => {
      const conn: WsBotConnection = new WsBotConnection(
        bot,
        config.websocket,
        logger,
        (frame) => void inbound.handle(conn, frame),
        metrics,
        () => this.verdictOnTakeover(conn),
      );
      return conn;
    });
  }

  get size(): number {
    return this.connections.length;
  }

  start(): void {
    if (this.connections.length === 0) return;
    for (const conn of this.connections) void this.claim(conn);
    this.timer = setInterval(() => this.tick(), this.config.websocket.leaseRetryMs);
    this.timer.unref();
  }

  /** Closes the links; the caller then releases the leases, so a standby instance takes the bots over. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    for (const conn of this.connections) conn.stop();
  }

  /** The connection of the websocket bot with this WECOM_BOTS key, whatever its state. */
  connectionOf(botKey: string): WsBotConnection | undefined {
    return this.connections.find((conn) => conn.bot.key === botKey);
  }

  /** Each websocket bot's link state, by its WECOM_BOTS key. */
  states(): Record<string, WsLinkState> {
    return Object.fromEntries(this.connections.map((conn) => [conn.bot.key, conn.state]));
  }

  /** Every bot connected here, or on standby because another instance serves it. */
  allServed(): boolean {
    return this.connections.every((conn) => conn.state === 'connected' || conn.state === 'standby');
  }

  private async claim(conn: WsBotConnection): Promise<void> {
    let held = false;
    try {
      held = await this.leases.tryHold(leaseName(conn));
    } catch (err) {
      this.log.warn({ bot: conn.bot.key, err: errorFields(err) }, 'websocket lease could not be checked; trying again');
    }
    if (this.stopped) return;
    if (!held) return conn.standby();
    conn.start();
    void this.orphans?.finishLeftBehind(conn);
  }

  /** Standby bots ask again; connected ones whose lease went with a broken session take it back. */
  private tick(): void {
    for (const conn of this.connections) {
      if (conn.state === 'standby') void this.claim(conn);
      else if (conn.state !== 'taken_over' && conn.state !== 'stopped' && !this.leases.holds(leaseName(conn))) {
        this.leases.tryHold(leaseName(conn)).catch(() => undefined);
      }
    }
  }

  /** Kicked while another instance of ours holds the lease: stand by. Kicked from outside: stay out. */
  private verdictOnTakeover(conn: WsBotConnection): TakeoverVerdict {
    return this.leases.holds(leaseName(conn)) ? 'taken_over' : 'standby';
  }
}
