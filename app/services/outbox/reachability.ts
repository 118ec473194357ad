import type { Logger } from 'pino';
import { errorFields } from '../../logger';
import type { ChatAddress, ChatReachability } from '../channel';

/**
 * Announces that a chat may be written to now: a callback chat left a fresh response_url in the book, a
 * long-connection chat's message was answered (WeCom pushes only where the user wrote, §12). Whoever
 * queued something for that chat (people in the loop, hil.md §7.2 path 3) sends it then. A listener
 * that throws is logged; the chat path never waits for one.
 */
export class Reachability implements ChatReachability {
  private readonly listeners: Array<(to: ChatAddress) => void> = [];

  constructor(private readonly logger: Logger) {}

  onReachable(listener: (to: ChatAddress) => void): void {
    this.listeners.push(listener);
  }

  reached(to: ChatAddress): void {
    for (const listener of this.listeners) {
      try {
        listener(to);
      } catch (err) {
        this.logger.error({ err: errorFields(err), bot: to.botKey }, 'reachability listener failed');
      }
    }
  }
}
