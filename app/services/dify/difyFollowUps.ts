import type { AxiosInstance } from 'axios';
import type { AgentConfig } from '../../config';

/** Strings only, at most `limit`, blanks dropped: these come straight from an LLM. */
function questions(value: unknown, limit: number): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((q): q is string => typeof q === 'string' && q.trim() !== '')
    .map((q) => q.trim())
    .slice(0, limit);
}

/** `GET /messages/{id}/suggested?user=` (dify-api.md §6.8); [] when the feature is off or the call fails. */
export async function fetchSuggestions(
  http: AxiosInstance,
  agent: AgentConfig,
  messageId: string,
  user: string,
): Promise<string[]> {
  try {
    const response = await http.get<unknown>(`${agent.baseUrl}/messages/${encodeURIComponent(messageId)}/suggested`, {
      params: { user },
      headers: { Authorization: `Bearer ${agent.apiKey}` },
      timeout: 3000,
      validateStatus: () => true,
    });
    return response.status === 200 ? questions((response.data as { data?: unknown } | null)?.data, 6) : [];
  } catch {
    return [];
  }
}

export interface Opening {
  readonly statement: string;
  readonly questions: readonly string[];
}

/** The app's opening statement and suggested first questions, from `GET /parameters` (dify-api.md §6.9). */
export function openingFrom(parameters: unknown): Opening {
  const data = parameters as { opening_statement?: unknown; suggested_questions?: unknown } | null;
  const statement = typeof data?.opening_statement === 'string' ? data.opening_statement.trim() : '';
  return { statement, questions: questions(data?.suggested_questions, 6) };
}
