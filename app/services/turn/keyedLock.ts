/**
 * Runs tasks one after another per key. Two quick messages in the same chat must not both start a new
 * Dify conversation, and the second question should see the first answer as context, so turns of one
 * conversation are serialised (WeCom allows 3 in flight per user, wecom-aibot-protocol.md §5.2).
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    try {
      return await task();
    } finally {
      release();
      // The last holder removes the key so the map does not grow with every chat ever seen.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  get size(): number {
    return this.tails.size;
  }
}
