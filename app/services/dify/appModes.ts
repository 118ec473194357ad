import type { AxiosInstance } from 'axios';
import type { Logger } from 'pino';
import { type AgentConfig, type DifyAppMode } from '../../config';
import { DIFY_APP_MODES } from '../../config/agents';

/**
 * The app mode decides the endpoint and how the stream is read. When an agent's config does not say,
 * it is read once from `GET /info` (dify-api.md §1.1) and remembered. If that fails the run is tried
 * as a chat-family app and the lookup is retried next time.
 */
export class AppModes {
  private readonly known = new Map<string, DifyAppMode>();

  constructor(
    private readonly http: AxiosInstance,
    private readonly logger: Logger,
  ) {}

  async modeOf(agent: AgentConfig, signal: AbortSignal): Promise<DifyAppMode> {
    if (agent.mode !== undefined) return agent.mode;
    const cached = this.known.get(agent.id);
    if (cached !== undefined) return cached;
    try {
      const response = await this.http.get<unknown>(`${agent.baseUrl}/info`, {
        headers: { Authorization: `Bearer ${agent.apiKey}` },
        timeout: 10_000,
        signal,
      });
      const mode = (response.data as { mode?: unknown } | null)?.mode;
      if ((DIFY_APP_MODES as readonly unknown[]).includes(mode)) {
        this.known.set(agent.id, mode as DifyAppMode);
        this.logger.info({ agent: agent.id, mode }, 'Dify app mode detected');
        return mode as DifyAppMode;
      }
      this.logger.warn({ agent: agent.id }, 'Dify /info gave no known mode; using chat');
    } catch (err) {
      this.logger.warn(
        { agent: agent.id, err: (err as Error).message },
        'Dify /info failed; trying the run as a chat app',
      );
    }
    return 'chat';
  }
}
