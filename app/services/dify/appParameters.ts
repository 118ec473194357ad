import type { AxiosInstance } from 'axios';
import type { Logger } from 'pino';
import type { AgentConfig } from '../../config';

/** How long an app's settings are trusted: apps change them rarely, and enter_chat must be answered fast. */
const FRESH_MS = 10 * 60_000;

/**
 * `GET /parameters` (dify-api.md §6.9), the one reader of what the gateway takes from it — the file
 * upload settings (before uploading) and the opening statement (the welcome card) — cached per agent
 * for ten minutes. A failed read is not cached: the caller falls back and the next call asks again.
 */
export class AppParameters {
  private readonly cache = new Map<string, { readonly data: unknown; readonly at: number }>();

  constructor(
    private readonly http: AxiosInstance,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** The response body, or undefined when it could not be read. */
  async read(
    agent: AgentConfig,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<{ readonly data: unknown } | undefined> {
    const cached = this.cache.get(agent.id);
    if (cached !== undefined && this.now() - cached.at < FRESH_MS) return cached;
    try {
      const response = await this.http.get<unknown>(`${agent.baseUrl}/parameters`, {
        headers: { Authorization: `Bearer ${agent.apiKey}` },
        timeout: timeoutMs,
        validateStatus: () => true,
        ...(signal !== undefined ? { signal } : {}),
      });
      if (response.status !== 200) {
        this.logger.warn({ agent: agent.id, status: response.status }, 'Dify /parameters could not be read');
        return undefined;
      }
      const entry = { data: response.data, at: this.now() };
      this.cache.set(agent.id, entry);
      return entry;
    } catch (err) {
      this.logger.warn({ agent: agent.id, err: (err as Error).message }, 'Dify /parameters could not be read');
      return undefined;
    }
  }
}
