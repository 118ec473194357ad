import { Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's Prometheus registry: Node's default metrics (heap, RSS, event-loop lag, GC, handles),
 * read by `GET /metrics` and by the benchmark for memory per open stream.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
