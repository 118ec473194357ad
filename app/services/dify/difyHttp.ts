import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { AgentConfig } from '../../config';
import { DifyError, type DifyFailure, isRetryable, parseErrorBody } from './difyErrors';

export interface DifyHttpSettings {
  readonly idleTimeoutMs: number;
  readonly retryMax: number;
  readonly retryBaseMs: number;
}

/** Aborts when no byte arrived for `ms`; also covers the wait for response headers (dify-api.md §5.4). */
class IdleWatch {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout;
  fired = false;

  constructor(ms: number) {
    this.timer = setTimeout(() => this.fire(), ms);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  touch(): void {
    this.timer.refresh();
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private fire(): void {
    this.fired = true;
    this.controller.abort(new DifyError({ kind: 'idle_timeout' }));
  }
}

/** The caller's abort reason when it is a DifyError (the turn aborts with `deadline`), else `deadline`. */
function abortedError(signal: AbortSignal): DifyError {
  return signal.reason instanceof DifyError ? signal.reason : new DifyError({ kind: 'deadline' });
}

function toDifyError(err: unknown, idle: IdleWatch, signal: AbortSignal, started: boolean): DifyError {
  if (err instanceof DifyError) return err;
  if (idle.fired) return new DifyError({ kind: 'idle_timeout' });
  if (signal.aborted) return abortedError(signal);
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
  const reason = code !== '' && code !== 'undefined' ? code : err instanceof Error ? err.message : 'unknown error';
  return new DifyError(started ? { kind: 'connection_lost', reason } : { kind: 'network', reason });
}

async function readLimited(stream: IncomingMessage, limit: number): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      parts.push(buf);
      size += buf.length;
      if (size >= limit) break;
    }
  } catch {
    // an error body that breaks off is still classified by its status
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).toString('utf8', 0, Math.min(size, limit));
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** One streaming POST: resolves with the response once its headers arrived. No redirects are followed. */
function post(
  url: URL,
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal,
  agents: Agents,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const agent = url.protocol === 'https:' ? agents.https : agents.http;
    const req = client.request(
      url,
      { method: 'POST', agent, signal, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } },
      resolve,
    );
    req.on('error', reject);
    req.end(body);
  });
}

interface Agents {
  readonly http: http.Agent;
  readonly https: https.Agent;
}

/**
 * Opens Dify streaming requests: one POST whose body is read as raw chunks, with Dify's error
 * envelope turned into DifyError and the retry policy of dify-api.md §5.5 (never after an event).
 * Plain node:http with keep-alive agents: this runs once per user message, and an HTTP client
 * library's per-request machinery showed up at ~15% of the first-message path in the profile.
 */
export class DifyHttp {
  private readonly agents: Agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: Infinity }),
    https: new https.Agent({ keepAlive: true, maxSockets: Infinity }),
  };

  constructor(private readonly settings: DifyHttpSettings) {}

  /** Closes idle keep-alive sockets (shutdown). */
  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  async openStream(
    agent: AgentConfig,
    path: string,
    body: object,
    signal: AbortSignal,
    onRetry?: (attempt: number, failure: DifyFailure) => void,
  ): Promise<AsyncIterable<Buffer>> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.openOnce(agent, path, body, signal);
      } catch (err) {
        const failure = err instanceof DifyError ? err.failure : undefined;
        if (failure === undefined || !isRetryable(failure) || attempt >= this.settings.retryMax || signal.aborted)
          throw err;
        onRetry?.(attempt + 1, failure);
        // Exponential backoff with jitter, as Dify's own SDK does (dify-api.md §5.5).
        await abortableSleep(
          this.settings.retryBaseMs * 2 ** attempt + Math.random() * this.settings.retryBaseMs * 0.25,
          signal,
        );
        if (signal.aborted) throw abortedError(signal);
      }
    }
  }

  private async openOnce(
    agent: AgentConfig,
    path: string,
    body: object,
    signal: AbortSignal,
  ): Promise<AsyncIterable<Buffer>> {
    const idle = new IdleWatch(this.settings.idleTimeoutMs);
    const combined = AbortSignal.any([signal, idle.signal]);
    let response: IncomingMessage;
    try {
      const headers = {
        Authorization: `Bearer ${agent.apiKey}`,
        'Content-Type': 'application/json',
        Accept: 'text/event-stream',
        'User-Agent': 'wecom-dify-gateway',
      };
      response = await post(new URL(`${agent.baseUrl}${path}`), JSON.stringify(body), headers, combined, this.agents);
    } catch (err) {
      idle.stop();
      throw toDifyError(err, idle, signal, false);
    }
    const status = response.statusCode ?? 0;
    const contentType = String(response.headers['content-type'] ?? '');
    if (status !== 200 || !contentType.includes('text/event-stream')) {
      const text = await readLimited(response, 64 * 1024);
      idle.stop();
      const failure =
        status === 200
          ? { kind: 'http' as const, status: 200, code: 'unexpected_response', message: '' }
          : parseErrorBody(status, contentType, text);
      throw new DifyError(failure);
    }
    return this.guard(response, idle, signal, combined);
  }

  private async *guard(
    stream: IncomingMessage,
    idle: IdleWatch,
    signal: AbortSignal,
    combined: AbortSignal,
  ): AsyncGenerator<Buffer> {
    const onAbort = (): void => {
      stream.destroy(new Error('aborted'));
    };
    combined.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const chunk of stream) {
        idle.touch();
        yield chunk as Buffer;
      }
      if (combined.aborted) throw new Error('aborted');
    } catch (err) {
      throw toDifyError(err, idle, signal, true);
    } finally {
      combined.removeEventListener('abort', onAbort);
      idle.stop();
      stream.destroy();
    }
  }
}
