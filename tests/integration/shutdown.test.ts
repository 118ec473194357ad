/**
 * Graceful shutdown (issue #4 scope 4): on SIGTERM the gateway stops taking new turns (503, so WeCom
 * retries and the load balancer picks another instance), keeps answering polls, lets running turns
 * finish within the grace period and finishes the others with a notice.
 */
import { DEFAULT_TEXTS } from '../../app/config/texts';
import { asStreamReply } from '../fakes/fakeWecom';
import { type Harness, startHarness } from './harness';

async function pollUntilFinished(h: Harness, id: string, userid: string): Promise<string> {
  for (let i = 0; i < 300; i += 1) {
    const reply = asStreamReply(await h.wecom().poll(id, { userid }), 'poll');
    if (reply.finish) return reply.content;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('stream did not finish');
}

describe('graceful shutdown', () => {
  it('refuses new messages, serves polls and lets a running turn finish within the grace period', async () => {
    const h = await startHarness({ shutdownGraceMs: 5000 });
    try {
      h.dify.script('app-chat', {
        kind: 'stream',
        events: [
          { event: 'message', answer: '慢' },
          { event: 'message', answer: '慢的回答' },
          { event: 'message_end' },
        ],
        delayMs: 300,
      });
      const first = asStreamReply(await h.wecom().sendText('慢问题', { userid: 'drain-user' }), 'first');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const draining = h.gateway.shutdown();
      const refused = await h.wecom().sendText('新问题', { userid: 'late-user' });
      expect(refused.status).toBe(503);
      expect(await pollUntilFinished(h, first.id, 'drain-user')).toBe('慢慢的回答');
      await draining;
      expect(h.gateway.turns.activeTurns).toBe(0);
    } finally {
      await h.close();
    }
  });

  it('finishes a turn that outlasts the grace period with a notice instead of dropping it', async () => {
    const h = await startHarness({ shutdownGraceMs: 300 });
    try {
      h.dify.script('app-chat', { kind: 'stream', events: [{ event: 'message', answer: '还没说完' }], end: 'hang' });
      const first = asStreamReply(await h.wecom().sendText('长问题', { userid: 'cut-user' }), 'first');
      await new Promise((resolve) => setTimeout(resolve, 100));
      await h.gateway.shutdown();
      expect(await pollUntilFinished(h, first.id, 'cut-user')).toBe(`还没说完\n\n${DEFAULT_TEXTS.SERVICE_RESTARTING}`);
    } finally {
      await h.close();
    }
  });
});
