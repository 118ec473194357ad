import { Writable } from 'node:stream';
import pino from 'pino';
import { sdkLogger } from '../../../app/websocket/sdkLogger';

function capture(level: string): { lines: () => Array<Record<string, unknown>>; logger: pino.Logger } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    logger: pino({ level }, sink),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('sdkLogger', () => {
  it('keeps the SDK extra arguments (which can hold whole frames) out of warn and error lines', () => {
    const { logger, lines } = capture('info');
    const log = sdkLogger(logger);
    log.warn('Received unknown frame (ignored):', '{"body":{"text":{"content":"用户的话"}}}');
    log.error('Failed to parse WebSocket message:', new Error('Unexpected token 用户的话'));
    log.info('Connecting to WebSocket');
    expect(lines().map((l) => l['msg'])).toEqual([
      'Received unknown frame (ignored):',
      'Failed to parse WebSocket message:',
    ]);
    expect(JSON.stringify(lines())).not.toContain('用户的话');
  });

  it('keeps them at debug, where frames may be logged', () => {
    const { logger, lines } = capture('debug');
    sdkLogger(logger).debug('frame', { cmd: 'ping' });
    expect(lines()[0]).toMatchObject({ msg: 'frame', args: [{ cmd: 'ping' }], sdk: true });
  });
});
