import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { AgentConfig } from '../../config';
import { type DifyBody, IdleWatch, abortedError, readBody, toDifyError } from './difyBody';
import { DifyError, type DifyFailure, isRetryable, parseErrorBody } from './difyErrors';

export interface DifyHttpSettings {
  readonly idleTimeoutMs: number;
  readonly retryMax: number;
  readonly retryBaseMs: number;
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

/**
 * One streaming POST (or, with no body, a GET: a paused run's events, docs/dify-human-input.md §5):
 * resolves with the response once its headers arrived. No redirects are followed.
 * Plain options and an array of headers: a URL argument and a header object are each copied into
 * objects the request keeps while the answer streams (~1.5 KB per open turn).
 */
function post(
  url: URL,
  body: string | undefined,
  headers: string[],
  signal: AbortSignal,
  agents: Agents,
  idle: IdleWatch,
) {
  return new Promise<IncomingMessage>((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const length = body === undefined ? [] : ['Content-Length', String(Buffer.byteLength(body))];
    const req = (secure ? https : http).request(
      {
        method: body === undefined ? 'GET' : 'POST',
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        agent: secure ? agents.https : agents.http,
        headers: [...headers, 'Host', url.host, ...length],
      },
      resolve,
    );
    // One listener of our own, not the `signal` option: node:http watches the request's end with seven
    // more listeners (stream.finished) to remove its own, for as long as the answer streams.
    const onAbort = (): void => void req.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    req.once('close', () => signal.removeEventListener('abort', onAbort));
    idle.watch(req);
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
  ): Promise<DifyBody> {
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

  /** `GET path` as an event stream, once (no retries: the caller knows whether reading again is safe). */
  openEvents(agent: AgentConfig, path: string, signal: AbortSignal): Promise<DifyBody> {
    return this.openOnce(agent, path, undefined, signal);
  }

  private async openOnce(
    agent: AgentConfig,
    path: string,
    body: object | undefined,
    signal: AbortSignal,
  ): Promise<DifyBody> {
    const idle = new IdleWatch(this.settings.idleTimeoutMs);
    let response: IncomingMessage;
    try {
      const headers = [
        'Authorization',
        `Bearer ${agent.apiKey}`,
        ...(body === undefined ? [] : ['Content-Type', 'application/json']),
        'Accept',
        'text/event-stream',
        'User-Agent',
        'wecom-dify-gateway',
      ];
      const url = new URL(`${agent.baseUrl}${path}`);
      const json = body === undefined ? undefined : JSON.stringify(body);
      response = await post(url, json, headers, signal, this.agents, idle);
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
    idle.watch(response);
    return {
      read: (onChunk) => readBody(response, idle, signal, onChunk),
      // A body cancelled before it was read (a form Dify refused) must not leave its idle timer running.
      cancel: (reason) => {
        idle.stop();
        response.destroy(reason);
      },
    };
  }
}
