import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * What operators watch (issue #7 scope 3), in one place: callbacks by type and outcome, first-reply and
 * poll latency, turns by outcome and duration, Dify errors by cause, running turns, response_url posts,
 * dedupe hits and media bytes, next to Node's default process metrics. Labels carry codes only.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly callbacks = new Counter({
    name: 'wecom_callbacks_total',
    help: 'WeCom callbacks by message type and outcome',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly firstReply = new Histogram({
    name: 'wecom_first_reply_seconds',
    help: 'Time to answer a new user message',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly poll = new Histogram({
    name: 'wecom_poll_seconds',
    help: 'Time to answer a stream refresh',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
    registers: [this.registry],
  });
  readonly turns = new Counter({
    name: 'gateway_turns_total',
    help: 'Finished turns by outcome (answered, partial, failed)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly turnSeconds = new Histogram({
    name: 'gateway_turn_seconds',
    help: 'From message to final answer',
    buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 330, 600],
    registers: [this.registry],
  });
  readonly difyErrors = new Counter({
    name: 'dify_errors_total',
    help: 'Turns that did not end cleanly, by cause code',
    labelNames: ['cause'] as const,
    registers: [this.registry],
  });
  readonly responseUrlPosts = new Counter({
    name: 'wecom_response_url_posts_total',
    help: 'Late answers posted to response_url, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly dedupeHits = new Counter({
    name: 'wecom_dedupe_hits_total',
    help: 'Retried msgids answered with their existing stream',
    registers: [this.registry],
  });
  readonly mediaBytes = new Counter({
    name: 'gateway_media_bytes_total',
    help: 'Media bytes downloaded, inbound (WeCom) and outbound (answer images)',
    labelNames: ['direction'] as const,
    registers: [this.registry],
  });
  readonly wsConnected = new Gauge({
    name: 'wecom_ws_connected',
    help: 'Websocket bots: 1 while subscribed, 0 otherwise',
    labelNames: ['bot'] as const,
    registers: [this.registry],
  });
  readonly wsFrames = new Counter({
    name: 'wecom_ws_frames_total',
    help: 'Frames sent on the long connection, by command and outcome (sent, refused, link)',
    labelNames: ['cmd', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly activeTurns = new Gauge({
    name: 'gateway_active_turns',
    help: 'Turns running now (open streams owned here)',
    registers: [this.registry],
  });

  private readonly callbackChildren = new Map<string, { inc(): void }>();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Counts one callback; labelled children are cached, since this runs on every poll. */
  countCallback(type: string, outcome: string): void {
    const key = `${type}\u0000${outcome}`;
    let child = this.callbackChildren.get(key);
    if (child === undefined) {
      child = this.callbacks.labels(type, outcome);
      this.callbackChildren.set(key, child);
    }
    child.inc();
  }
}
