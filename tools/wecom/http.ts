/**
 * One HTTP exchange with the gateway over node's global fetch, with the failures ops meet turned
 * into plain sentences: unreachable host, rejected signature, the gateway's error code.
 */
import { CliError } from './errors';

export interface HttpResult {
  status: number;
  text: string;
  ms: number;
}

const TIMEOUT_MS = 30_000;

function networkCode(err: unknown): string | undefined {
  const cause = (err as { cause?: { code?: unknown; errors?: Array<{ code?: unknown }> } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  const nested = cause?.errors?.find((e) => typeof e.code === 'string')?.code;
  return typeof nested === 'string' ? nested : undefined;
}

function unreachable(url: URL, err: unknown): CliError {
  const code = networkCode(err);
  if ((err as { name?: unknown }).name === 'TimeoutError') {
    return new CliError(`no answer from ${url.origin} within ${TIMEOUT_MS / 1000} s`);
  }
  const causeMessage = (err as { cause?: { message?: unknown } }).cause?.message;
  const detail = code ?? (typeof causeMessage === 'string' ? causeMessage : String((err as Error).message ?? err));
  const why = ` (${detail})`;
  return new CliError(`cannot reach ${url.origin}${why}: is the gateway running and the URL right?`);
}

export async function send(url: URL, init: { method: 'GET' | 'POST'; body?: string }): Promise<HttpResult> {
  const started = Date.now();
  let res: Response;
  try {
    res = await fetch(url, {
      method: init.method,
      ...(init.body !== undefined ? { body: init.body, headers: { 'Content-Type': 'application/json' } } : {}),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    throw unreachable(url, err);
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    throw unreachable(url, err);
  }
  return { status: res.status, text, ms: Date.now() - started };
}

/** Maps a non-200 answer to the likely cause; the gateway's error body is its code (e.g. BAD_SIGNATURE). */
export function checkStatus(result: HttpResult): void {
  if (result.status === 200) return;
  const code = result.text.trim().slice(0, 100);
  const shown = code !== '' ? ` ${code}` : '';
  switch (result.status) {
    case 401:
      throw new CliError(`HTTP 401${shown}: the gateway rejected the signature: check WECOM_TOKEN`);
    case 400:
      throw new CliError(
        `HTTP 400${shown}: the gateway could not read the callback (wrong EncodingAESKey or a malformed request?)`,
      );
    case 404:
      throw new CliError(
        `HTTP 404${shown}: no bot answers this URL (check the path and WECOM_BOTS / WECOM_TOKEN on the gateway)`,
      );
    case 413:
      throw new CliError(`HTTP 413${shown}: the request body is too large for the gateway`);
    default:
      throw new CliError(`HTTP ${result.status}${shown}: unexpected answer from the gateway`);
  }
}
