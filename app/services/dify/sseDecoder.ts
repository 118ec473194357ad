import { createParser } from 'eventsource-parser';
import { parseDifyEvent, type DifyEvent } from './events';

/** Reports a `data:` payload that was not a JSON object; only its size, never its content. */
export type MalformedHandler = (info: { length: number }) => void;

export interface DifyEventDecoder {
  /** Feeds the next body chunk; events may be split or glued anywhere (dify-api.md §4.1, §8 P1/P2). */
  push(chunk: Uint8Array): void;
  /** Call at EOF; afterwards `push` throws. */
  end(): void;
}

/**
 * Incremental bytes → DifyEvent decoder (dify-api.md §4.1).
 *
 * - One streaming TextDecoder, so a multi-byte character split across reads survives (§8 P2);
 *   invalid bytes become U+FFFD instead of throwing (`fatal: false`).
 * - eventsource-parser does the line framing: `\n`, `\r\n` and `\r` endings, events glued into
 *   one chunk or split across many, dispatch on the blank line (§8 P1).
 * - `event: ping` carries no `data:` line, so the parser never dispatches it (§8 P3); a ping
 *   that did carry data is dropped too.
 * - `end()` flushes the TextDecoder but does NOT dispatch a final event that lacks its
 *   terminating blank line: per the SSE rules an unterminated event is discarded. Dify always
 *   terminates events with `\n\n` (§4.1), so such a tail means the body was cut mid-event.
 *
 * `onEvent` must not throw: the parser would be left mid-chunk.
 */
export function createDifyEventDecoder(
  onEvent: (e: DifyEvent) => void,
  onMalformed?: MalformedHandler,
): DifyEventDecoder {
  const text = new TextDecoder('utf-8', { fatal: false });
  let ended = false;
  let lastChar = '';
  const parser = createParser({
    onEvent: (message) => {
      if (message.event === 'ping') return;
      const event = parseDifyEvent(message.data);
      if (event === null) {
        onMalformed?.({ length: message.data.length });
        return;
      }
      if (event.event !== 'ping') onEvent(event);
    },
  });
  const feed = (s: string): void => {
    if (s === '') return;
    parser.feed(s);
    lastChar = s.charAt(s.length - 1);
  };
  return {
    push(chunk) {
      if (ended) throw new Error('Dify event decoder: push() after end()');
      feed(text.decode(chunk, { stream: true }));
    },
    end() {
      if (ended) return;
      ended = true;
      feed(text.decode());
      // The parser holds a trailing `\r` back in case `\n` follows; at EOF that CR is a
      // complete line ending, and adding `\n` makes it a CRLF, which reads as the same one.
      if (lastChar === '\r') feed('\n');
      // Drop whatever incomplete event is still buffered (see above).
      parser.reset();
    },
  };
}

/**
 * Async-iterator form of the decoder for a response body. Strings are re-encoded as UTF-8
 * so both byte and text streams go through the same path.
 */
export async function* readDifyEvents(
  body: AsyncIterable<Uint8Array | string>,
  onMalformed?: MalformedHandler,
): AsyncGenerator<DifyEvent> {
  const queue: DifyEvent[] = [];
  const decoder = createDifyEventDecoder((e) => queue.push(e), onMalformed);
  for await (const chunk of body) {
    decoder.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    yield* queue.splice(0);
  }
  decoder.end();
  yield* queue.splice(0);
}
