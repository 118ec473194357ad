import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  FLUSH_EVERY_MS,
  type LogSink,
  createLogger,
  errorFields,
  resolveLogFormat,
  stdoutSink,
} from '../../app/logger';

describe('errorFields', () => {
  it('keeps name, message and stack and drops every other field of an error', () => {
    const err = Object.assign(new Error('request failed'), {
      config: { headers: { Authorization: 'Bearer app-secret' } },
    });
    const fields = errorFields(err);
    expect(fields).toMatchObject({ name: 'Error', message: 'request failed' });
    expect(JSON.stringify(fields)).not.toContain('app-secret');
  });

  it('describes a thrown non-error value', () => {
    expect(errorFields('boom')).toEqual({ name: 'string', message: 'boom' });
  });
});

describe('resolveLogFormat', () => {
  it('is pretty on a terminal and JSON otherwise, unless LOG_FORMAT says which', () => {
    expect(resolveLogFormat('auto', true)).toBe('pretty');
    expect(resolveLogFormat('auto', false)).toBe('json');
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(resolveLogFormat('pretty', false)).toBe('pretty');
  });
});

describe('stdoutSink (on a file instead of stdout)', () => {
  let dir: string;
  let file: string;
  let sink: LogSink | undefined;
  /** The sink closes the descriptor itself, and stops its flush timer with it. */
  const fileSink = (format: 'json' | 'pretty'): LogSink => (sink = stdoutSink(format, { fd: openSync(file, 'w') }));
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'logsink-'));
    file = path.join(dir, 'log');
  });
  afterEach(async () => {
    await sink?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('buffers a line, writes it on its own within twice the flush period, and flushSync writes at once', async () => {
    const sink = fileSink('json');
    const logger = createLogger('info', sink);
    logger.info({ msgid: 'm1' }, 'first reply sent');
    expect(readFileSync(file, 'utf8')).toBe('');
    await new Promise((resolve) => setTimeout(resolve, 2 * FLUSH_EVERY_MS + 100));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ level: 30, msgid: 'm1', msg: 'first reply sent' });
    logger.fatal('last words');
    sink.flushSync();
    expect(readFileSync(file, 'utf8')).toContain('"msg":"last words"');
  });

  it('writes human-readable lines in the pretty format', () => {
    const sink = fileSink('pretty');
    createLogger('info', sink).warn({ bot: 'b1' }, 'callback rejected');
    sink.flushSync();
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/WARN.*: callback rejected\n/);
    expect(text).toContain('bot: "b1"');
    expect(() => JSON.parse(text) as unknown).toThrow();
  });
});
