/**
 * Python's `json.dumps` with its defaults (ensure_ascii=True, separators `", "` and `": "`):
 * `{"k": "v", "n": [1, 2]}` with every non-ASCII UTF-16 unit written as `\uXXXX`. Older Dify builds
 * write their SSE this way (dify-api.md §4.1), and aiohttp's `json=` sends GoHumanLoop's bodies so (hil.md §2.3).
 */
export function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const parts = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${asciiString(k)}: ${pythonJson(v)}`);
    return `{${parts.join(', ')}}`;
  }
  if (typeof value === 'string') return asciiString(value);
  return JSON.stringify(value) ?? 'null';
}

function asciiString(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\uffff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
