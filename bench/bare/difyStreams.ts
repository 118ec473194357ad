import { Agent, request, type IncomingMessage } from 'node:http';

/**
 * The background half of the bare hot path: one streaming Dify request per user message, read
 * to its end and discarded. Each open request keeps its last text chunk (≤ 1 KB), so N open
 * streams hold about as much answer text as the gateway does.
 */

const KEPT_TEXT_CHARS = 1024;

interface OpenStream {
  text: string;
}

export interface DifyStreamStats {
  readonly open: number;
  readonly started: number;
  readonly completed: number;
  readonly failed: number;
}

export class DifyStreams {
  // Keep-alive with no socket cap: the bench measures the limit, not a pool queue.
  private readonly agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  private readonly open = new Map<string, OpenStream>();
  private readonly url: URL;
  private started = 0;
  private completed = 0;
  private failed = 0;
  private reported = false;

  constructor(
    difyBase: string,
    private readonly apiKey: string,
  ) {
    this.url = new URL(`${difyBase.replace(/\/+$/, '')}/chat-messages`);
    if (this.url.protocol !== 'http:') throw new Error(`DIFY_URL must be http:// (got ${this.url.protocol})`);
  }

  stats(): DifyStreamStats {
    return { open: this.open.size, started: this.started, completed: this.completed, failed: this.failed };
  }

  start(streamId: string, query: string, user: string): void {
    this.started += 1;
    const body = JSON.stringify({ inputs: {}, query, response_mode: 'streaming', user, conversation_id: '' });
    const headers = {
      Authorization: `Bearer ${this.apiKey}`,
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
      Accept: 'text/event-stream',
    };
    const req = request(this.url, { method: 'POST', agent: this.agent, headers }, (res) => this.consume(streamId, res));
    req.on('error', (err) => this.fail(streamId, err.message));
    req.end(body);
  }

  private consume(streamId: string, res: IncomingMessage): void {
    if (res.statusCode !== 200) {
      res.resume();
      this.fail(streamId, `HTTP ${res.statusCode ?? 0}`);
      return;
    }
    const state: OpenStream = { text: '' };
    this.open.set(streamId, state);
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      state.text = chunk.length > KEPT_TEXT_CHARS ? chunk.slice(-KEPT_TEXT_CHARS) : chunk;
    });
    res.on('end', () => {
      this.completed += 1;
      this.open.delete(streamId);
    });
    res.on('error', (err) => this.fail(streamId, err.message));
  }

  /** Counted for /healthz; only the first failure is printed so a broken Dify cannot flood stderr. */
  private fail(streamId: string, reason: string): void {
    this.failed += 1;
    this.open.delete(streamId);
    if (this.reported) return;
    this.reported = true;
    process.stderr.write(`bare server: Dify request failed (${reason}); further failures are only counted\n`);
  }
}
