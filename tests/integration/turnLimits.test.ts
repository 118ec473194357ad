/**
 * The overall limit of a Dify run and what happens to answers after the window: a run kept alive by
 * pings still ends, a failure after the window still reaches the user, and response_url errors are
 * checked and logged.
 */
import { DEFAULT_TEXTS } from '../../app/config/texts';
import { startResponseUrlServer } from '../fakes/fakeWecom';
import { type Harness, startHarness } from './harness';

const POLL = { pollIntervalMs: 20, maxPolls: 500 };

describe('turn limits and late delivery', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ pingIntervalMs: 50, idleTimeoutMs: 2000, turnTimeoutMs: 600, windowMs: 1500 });
  });
  afterAll(() => h.close());

  it('ends a run that only sends keep-alive pings at the overall limit', async () => {
    h.dify.script('app-chat', { kind: 'stream', events: [{ event: 'message', answer: '思考很久' }], end: 'hang' });
    const started = Date.now();
    const t = await h.wecom().chat('无尽的问题', { ...POLL, userid: 'limit-user' });
    expect(t.final?.content).toBe(`思考很久\n\n${DEFAULT_TEXTS.TIMEOUT}`);
    expect(Date.now() - started).toBeLessThan(1400);
  });

  it('posts the failure notice to response_url when Dify fails after the window closed', async () => {
    const slow = await startHarness({ windowMs: 200 });
    try {
      slow.dify.script('app-chat', {
        kind: 'stream',
        events: [
          { event: 'message', answer: '一半' },
          { event: 'error', code: 'completion_request_error', status: 400, message: 'provider failed' },
        ],
        delayMs: 400,
      });
      const t = await slow.wecom().chat('会失败的问题', { ...POLL, responseUrl: slow.responseUrls.url('late-error') });
      expect(t.final?.content.endsWith(DEFAULT_TEXTS.STILL_WORKING)).toBe(true);
      await slow.responseUrls.waitForPosts(1, 5000);
      expect(slow.responseUrls.posts[0]?.body).toEqual({
        msgtype: 'markdown',
        markdown: { content: `一半\n\n${DEFAULT_TEXTS.ANSWER_FAILED}` },
      });
    } finally {
      await slow.close();
    }
  });

  it('checks the errcode of response_url and logs a rejection', async () => {
    const rejecting = await startResponseUrlServer({ reply: { errcode: 6000, errmsg: 'system busy' } });
    const slow = await startHarness({ windowMs: 150 });
    try {
      slow.dify.script('app-chat', {
        kind: 'stream',
        events: [{ event: 'message', answer: '晚到的回答' }, { event: 'message_end' }],
        headerDelayMs: 400,
      });
      await slow.wecom().chat('问题', { ...POLL, responseUrl: rejecting.url('busy') });
      await rejecting.waitForPosts(1, 5000);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const rejected = slow.logs.find((line) => line['msg'] === 'response_url answer rejected');
      expect(rejected).toMatchObject({ errcode: 6000, level: 50 });
    } finally {
      await Promise.all([slow.close(), rejecting.close()]);
    }
  });
});
