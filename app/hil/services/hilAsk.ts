import type { OutboxResult } from '../../services/channel';
import type { HilRequest, HilRequests, HilTarget, NewHilRequest } from '../store/hilRequests';
import type { HilDelivery } from './hilDelivery';
import type { OpenGate } from './openGate';

/**
 * The one way every client's question becomes a request shown in WeCom (GoHumanLoop, hil-mcp, MCP
 * tools, interactions, Dify forms): stored idempotently on the client's ids — a retry or a re-raised
 * interaction sends nothing twice — then delivered (hil.md §7.2).
 */
export class HilAsk {
  constructor(
    private readonly deps: {
      readonly requests: HilRequests;
      readonly delivery: HilDelivery;
      readonly gate: OpenGate;
      readonly now: () => number;
    },
  ) {}

  /** `made`: what the client keeps beside a new request, stored before anyone can see (and answer) it. */
  async ask(
    input: NewHilRequest,
    made?: (request: HilRequest) => Promise<void>,
  ): Promise<{ readonly request: HilRequest; readonly created: boolean }> {
    const { request, created } = await this.deps.requests.create(input, this.deps.now());
    if (!created) return { request, created };
    await made?.(request);
    this.deps.gate.opened();
    return { request: await this.deps.delivery.deliver(request), created };
  }

  /** A message that asks nothing (hil-mcp's send_message_only, Bridgic's post_event): markdown, now or not at all. */
  notify(target: HilTarget, markdown: string): Promise<OutboxResult> {
    return this.deps.delivery.sendMarkdown(target, markdown);
  }
}
