import { createAgent, send, streamOf } from './load/client';
import { pollRequest, textMessage } from './load/requests';
import { median } from './load/runLoad';

export interface TokenDelay {
  /** Median time from Dify writing a token to the first poll answer that contains it. */
  readonly visibleMs: number;
  /** Median poll round trip in the same loop; the budget is visibleMs ≤ roundTripMs + 1. */
  readonly roundTripMs: number;
  readonly tokens: number;
}

const nowMicros = (): number => Math.round((performance.timeOrigin + performance.now()) * 1000);

/**
 * Dify writes tokens stamped with their write time (µs); the client polls back to back, so the poll
 * interval is zero and what remains is the gateway's own delay plus one round trip.
 */
export async function tokenToVisible(port: number, tokenCount: number): Promise<TokenDelay> {
  const agent = createAgent(1);
  const first = streamOf(await send({ port }, textMessage(`tokens:${tokenCount}:20`), agent));
  const poll = pollRequest(first.id);
  const seen = new Set<string>();
  const delays: number[] = [];
  const roundTrips: number[] = [];
  for (let i = 0; i < 100_000; i += 1) {
    const res = await send({ port }, poll, agent);
    const received = nowMicros();
    roundTrips.push(res.ms);
    const stream = streamOf(res);
    for (const match of stream.content.matchAll(/T(\d+)/g)) {
      const stamp = match[1] as string;
      if (!seen.has(stamp)) {
        seen.add(stamp);
        delays.push((received - Number(stamp)) / 1000);
      }
    }
    if (stream.finish) break;
  }
  agent.destroy();
  return { visibleMs: median(delays), roundTripMs: median(roundTrips), tokens: delays.length };
}
