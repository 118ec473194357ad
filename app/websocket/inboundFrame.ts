/** An inbound callback frame: its req_id (echoed by every reply to it) and its body, not yet parsed. */
export interface InboundFrame {
  readonly reqId: string;
  readonly body: unknown;
}

/** §12: what WeCom sends an old connection before closing it for a newer one of the same bot. */
export function isTakeover(body: unknown): boolean {
  const event = (body as { event?: { eventtype?: unknown } } | undefined)?.event;
  return event?.eventtype === 'disconnected_event';
}
