/**
 * Whether the gateway at url takes messages. It listens before its store is open, so /healthz answers
 * at once; until the gateway is composed /readyz says `store: "opening"` and the other routes 503.
 * Readiness itself (a websocket bot connected) is not waited for here.
 */
export async function gatewayStarted(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/readyz`);
    const body = (await res.json()) as { store?: unknown };
    return body.store !== 'opening';
  } catch {
    return false; // not listening yet
  }
}
