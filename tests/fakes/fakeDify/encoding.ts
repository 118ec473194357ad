/**
 * Byte-level SSE framing exactly like Dify's `convert_to_event_stream` (dify-api.md §4.1):
 * `data: <json>\n\n` per event, `event: ping\n\n` for keep-alives, nothing else.
 */
import { pythonJson } from '../shared/pythonJson';

/** Python json.dumps' bytes, as older Dify builds write them (§4.1). */
export const legacyJson = pythonJson;
import type { JsonStyle, ScriptedEvent } from './types';

const PING_FRAME = 'event: ping\n\n';

/** Compact JSON with raw UTF-8, as orjson produces it in current builds (§4.1). */
export function encodeJson(value: unknown, style: JsonStyle): string {
  return style === 'legacy' ? pythonJson(value) : JSON.stringify(value);
}

/** One SSE frame for one event (or a ping). */
export function encodeFrame(event: ScriptedEvent, style: JsonStyle): Buffer {
  if (event === 'ping') return Buffer.from(PING_FRAME, 'utf8');
  return Buffer.from(`data: ${encodeJson(event, style)}\n\n`, 'utf8');
}

export function pingFrame(): Buffer {
  return Buffer.from(PING_FRAME, 'utf8');
}

/**
 * Cuts a fixture body into its frames (each ending with the blank line) without touching a
 * byte, so concatenating the frames gives the file back exactly (§10: fixtures are byte-exact).
 */
export function splitFrames(body: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  let start = 0;
  for (;;) {
    const at = body.indexOf('\n\n', start);
    if (at < 0) break;
    frames.push(body.subarray(start, at + 2));
    start = at + 2;
  }
  if (start < body.length) frames.push(body.subarray(start));
  return frames;
}

/** Parses the `data:` frames of a body back into events (pings and other lines are skipped). */
export function parseFrames(frames: Buffer[]): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  for (const frame of frames) {
    for (const line of frame.toString('utf8').split('\n')) {
      if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)) as Record<string, unknown>);
    }
  }
  return events;
}
