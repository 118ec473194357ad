import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDifyEvent, type DifyEvent } from '../../../../app/services/dify/events';
import { createDifyEventDecoder, readDifyEvents } from '../../../../app/services/dify/sseDecoder';

const FIXTURES = join(__dirname, '../../../fixtures/dify');
const NAMES = ['F1', 'F1L', 'F2', 'F2b', 'F3', 'F4', 'F5', 'F5b', 'F5c', 'F6', 'F6b', 'F7'] as const;

function fixture(name: string): Buffer {
  return readFileSync(join(FIXTURES, `${name}.sse`));
}

/** Independent oracle: each `data:` line parsed on its own (the fixtures use `\n` only, §10). */
function oracle(bytes: Buffer): DifyEvent[] {
  return bytes
    .toString('utf8')
    .split('\n')
    .filter((l) => l.startsWith('data: '))
    .map((l) => {
      const e = parseDifyEvent(l.slice('data: '.length));
      if (e === null) throw new Error('fixture line does not parse');
      return e;
    });
}

function decode(chunks: Uint8Array[]): { events: DifyEvent[]; malformed: number[] } {
  const events: DifyEvent[] = [];
  const malformed: number[] = [];
  const decoder = createDifyEventDecoder(
    (e) => events.push(e),
    (info) => malformed.push(info.length),
  );
  for (const c of chunks) decoder.push(c);
  decoder.end();
  return { events, malformed };
}

const decodeEvents = (chunks: Uint8Array[]): DifyEvent[] => decode(chunks).events;
const bytesOf = (s: string): Buffer => Buffer.from(s, 'utf8');

function bytewise(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += 1) out.push(buf.subarray(i, i + 1));
  return out;
}

/**
 * Every split of `buf` into two chunks, and into three with a second cut a few bytes later.
 * Compared as JSON text (cheap) and gathered, so one failing split is reported by position.
 */
function expectSplitInvariant(buf: Buffer, expected: DifyEvent[]): void {
  const want = JSON.stringify(expected);
  expect(decodeEvents([buf])).toEqual(expected);
  expect(decodeEvents(bytewise(buf))).toEqual(expected);
  const failures: string[] = [];
  for (let i = 0; i <= buf.length; i += 1) {
    if (JSON.stringify(decodeEvents([buf.subarray(0, i), buf.subarray(i)])) !== want) failures.push(`${i}`);
    for (const gap of [1, 3]) {
      const j = Math.min(i + gap, buf.length);
      const three = decodeEvents([buf.subarray(0, i), buf.subarray(i, j), buf.subarray(j)]);
      if (JSON.stringify(three) !== want) failures.push(`${i}+${gap}`);
    }
  }
  expect(failures).toEqual([]);
}

describe('createDifyEventDecoder: fixtures', () => {
  it.each(NAMES)('%s yields the same events however it is chunked', (name) => {
    const buf = fixture(name);
    const expected = oracle(buf);
    expect(expected.length).toBeGreaterThan(1);
    expectSplitInvariant(buf, expected);
  });

  it.each(NAMES)('%s with \\r\\n line endings yields the same events', (name) => {
    const buf = fixture(name);
    const crlf = bytesOf(buf.toString('utf8').replace(/\n/g, '\r\n'));
    expect(crlf.includes('\r\n\r\n')).toBe(true);
    expectSplitInvariant(crlf, oracle(buf));
  });

  it('reports no malformed payloads for any fixture', () => {
    for (const name of NAMES) expect(decode([fixture(name)]).malformed).toEqual([]);
  });
});

describe('createDifyEventDecoder: framing', () => {
  const MSG_A = 'data: {"event":"message","answer":"A"}\n\n';
  const MSG_B = 'data: {"event":"message","answer":"B"}\n\n';

  it('splits glued events', () => {
    expect(decodeEvents([bytesOf(MSG_A + MSG_B + MSG_A)]).map((e) => e.event === 'message' && e.answer)).toEqual([
      'A',
      'B',
      'A',
    ]);
  });

  it('ignores `event: ping` with no data, and a ping that carries data', () => {
    const body = `event: ping\n\n${MSG_A}event: ping\n\nevent: ping\ndata: {"x":1}\n\ndata: {"event":"ping"}\n\n${MSG_B}`;
    expect(decodeEvents([bytesOf(body)])).toEqual([
      { event: 'message', answer: 'A' },
      { event: 'message', answer: 'B' },
    ]);
  });

  it('keeps a multi-byte character split between chunks (F1 is Chinese)', () => {
    const buf = fixture('F1');
    const at = buf.indexOf(bytesOf('你好')) + 1; // inside the 3-byte encoding of 你
    const events = decodeEvents([buf.subarray(0, at), buf.subarray(at)]);
    expect(events[0]).toMatchObject({ event: 'message', answer: '你好' });
    expect(JSON.stringify(events)).not.toContain('\ufffd');
  });

  it('turns invalid UTF-8 into U+FFFD instead of throwing', () => {
    const bad = Buffer.concat([bytesOf('data: {"event":"message","answer":"'), Buffer.from([0xff]), bytesOf('"}\n\n')]);
    expect(decodeEvents([bad])).toEqual([{ event: 'message', answer: '\ufffd' }]);
  });

  it('handles bare \\r line endings, including a final CR settled at end()', () => {
    const body = MSG_A.replace(/\n/g, '\r') + MSG_B.replace(/\n/g, '\r');
    expect(decodeEvents([bytesOf(body)])).toHaveLength(2);
    expect(decodeEvents(bytewise(bytesOf(body)))).toHaveLength(2);
  });

  it('does not dispatch a final event without its blank line (SSE rules)', () => {
    expect(decodeEvents([bytesOf(MSG_A + 'data: {"event":"message","answer":"B"}\n')])).toEqual([
      { event: 'message', answer: 'A' },
    ]);
    expect(decodeEvents([bytesOf(MSG_A + 'data: {"event":"message","answer":"B"}')])).toHaveLength(1);
    expect(decodeEvents([bytesOf(MSG_A + 'data: {"event":"message","answer":"B"}\r')])).toHaveLength(1);
  });

  it('reports malformed payloads by length only and keeps going', () => {
    const { events, malformed } = decode([bytesOf(`data: not json\n\ndata: [1]\n\n${MSG_B}`)]);
    expect(malformed).toEqual([8, 3]);
    expect(events).toEqual([{ event: 'message', answer: 'B' }]);
  });

  it('throws on push after end()', () => {
    const decoder = createDifyEventDecoder(() => undefined);
    decoder.end();
    expect(() => decoder.push(bytesOf(MSG_A))).toThrow(/after end/);
  });
});

describe('readDifyEvents', () => {
  async function collect(chunks: Array<Uint8Array | string>): Promise<DifyEvent[]> {
    async function* body(): AsyncGenerator<Uint8Array | string> {
      for (const c of chunks) yield c;
    }
    const out: DifyEvent[] = [];
    for await (const e of readDifyEvents(body())) out.push(e);
    return out;
  }

  it('yields the fixture events from byte chunks', async () => {
    const buf = fixture('F3');
    await expect(collect(bytewise(buf))).resolves.toEqual(oracle(buf));
  });

  it('accepts string chunks and mixed chunks', async () => {
    const text = fixture('F1').toString('utf8');
    const expected = oracle(fixture('F1'));
    await expect(collect([...text])).resolves.toEqual(expected);
    const mid = Math.floor(text.length / 2);
    await expect(collect([text.slice(0, mid), bytesOf(text.slice(mid))])).resolves.toEqual(expected);
  });

  it('passes malformed reports through', async () => {
    const lengths: number[] = [];
    async function* body(): AsyncGenerator<string> {
      yield 'data: {oops}\n\n';
    }
    const out: DifyEvent[] = [];
    for await (const e of readDifyEvents(body(), (i) => lengths.push(i.length))) out.push(e);
    expect(out).toEqual([]);
    expect(lengths).toEqual([6]);
  });

  it('yields events as they complete, before the body ends', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    async function* body(): AsyncGenerator<string> {
      yield 'data: {"event":"message","answer":"A"}\n\n';
      await gate;
      yield 'data: {"event":"message_end"}\n\n';
    }
    const it = readDifyEvents(body());
    await expect(it.next()).resolves.toEqual({ done: false, value: { event: 'message', answer: 'A' } });
    release();
    await expect(it.next()).resolves.toEqual({ done: false, value: { event: 'message_end' } });
    await expect(it.next()).resolves.toEqual({ done: true, value: undefined });
  });
});
