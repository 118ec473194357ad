import type { OutboxResult } from '../../services/channel';
import type { HilRequest, HilRequests, HilTarget, NewHilRequest } from '../store/hilRequests';
import type { HilDelivery } from './hilDelivery';
import type { OpenGate } from './openGate';

/** A way to ask other than the bot chat, chosen per request (issue #16: WeCom's 审批 app, oaFiling.ts). */
export interface HilBackend {
  /** The request as it is to be stored when it goes this way; undefined = the chat's way. */
  route(input: NewHilRequest): NewHilRequest | undefined;
  /** Sends the stored request; `asked` is what the client asked (its chat, its approvers). */
  deliver(request: HilRequest, asked: NewHilRequest): Promise<HilRequest>;
}

/**
 * The one way every client's question becomes a request shown in WeCom (GoHumanLoop, hil-mcp, MCP
 * tools, interactions, Dify forms): stored idempotently on the client's ids — a retry or a re-raised
 * interaction sends nothing twice — then delivered (hil.md §7.2).
 */
export class HilAsk {
  private backend: HilBackend | undefined;

  constructor(
    private readonly deps: {
      readonly requests: HilRequests;
      readonly delivery: HilDelivery;
      readonly gate: OpenGate;
      readonly now: () => number;
    },
  ) {}

  /** The other way requests may go (one today: the 审批 app when configured). */
  useBackend(backend: HilBackend): void {
    this.backend = backend;
  }

  /** `made`: what the client keeps beside a new request, stored before anyone can see (and answer) it. */
  async ask(
    input: NewHilRequest,
    made?: (request: HilRequest) => Promise<void>,
  ): Promise<{ readonly request: HilRequest; readonly created: boolean }> {
    const routed = this.backend?.route(input);
    const { request, created } = await this.deps.requests.create(routed ?? input, this.deps.now());
    if (!created) return { request, created };
    await made?.(request);
    this.deps.gate.opened();
    if (routed !== undefined && this.backend !== undefined)
      return { request: await this.backend.deliver(request, input), created };
    return { request: await this.deps.delivery.deliver(request), created };
  }

  /** A message that asks nothing (hil-mcp's send_message_only, Bridgic's post_event): markdown, now or not at all. */
  notify(target: HilTarget, markdown: string): Promise<OutboxResult> {
    return this.deps.delivery.sendMarkdown(target, markdown);
  }
}
