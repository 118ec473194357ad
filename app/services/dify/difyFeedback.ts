import type { AxiosInstance } from 'axios';
import type { AgentConfig } from '../../config';
import { DifyError, parseErrorBody } from './difyErrors';

export type DifyRating = 'like' | 'dislike' | null;

/**
 * `POST /messages/{message_id}/feedbacks` with the same `user` that received the answer
 * (dify-api.md §6.7); `rating: null` withdraws an earlier rating.
 */
export async function postFeedback(
  http: AxiosInstance,
  agent: AgentConfig,
  messageId: string,
  body: { rating: DifyRating; user: string; content?: string },
): Promise<void> {
  const response = await http.post<unknown>(
    `${agent.baseUrl}/messages/${encodeURIComponent(messageId)}/feedbacks`,
    body,
    {
      headers: { Authorization: `Bearer ${agent.apiKey}` },
      timeout: 10_000,
      validateStatus: () => true,
    },
  );
  if (response.status === 200) return;
  const text = typeof response.data === 'string' ? response.data : JSON.stringify(response.data ?? '');
  throw new DifyError(parseErrorBody(response.status, String(response.headers['content-type'] ?? ''), text));
}
