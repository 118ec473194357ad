/**
 * A client that announces a body and closes the connection halfway (a truncated upload, a proxy
 * timeout): the gateway must let go of that request and keep serving others.
 */
import { connect } from 'node:net';
import { type Harness, startHarness } from './harness';

describe('a truncated request body', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('is dropped without a crash, and the next message is answered', async () => {
    const { port } = new URL(h.url);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          'POST /wecom/callback/bot1?msg_signature=a&timestamp=1&nonce=2 HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"encrypt":"abc',
        );
        setTimeout(() => socket.destroy(), 50);
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const t = await h.wecom().chat('还在吗', { pollIntervalMs: 20, maxPolls: 500, userid: 'after-truncation' });
    expect(t.final?.content).toBe('收到：还在吗');
    expect(h.logs.some((l) => l['msg'] === 'unexpected error')).toBe(false);
    // The half-read request was released (its body read failed), not left pending.
    expect(h.logs.some((l) => l['msg'] === 'callback rejected' && l['code'] === 'BODY_MALFORMED')).toBe(true);
  });
});
