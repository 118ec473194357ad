/**
 * The interactions API (issue #15 scope 3, hil.md §5.3) through real HTTP: a Bridgic-style batch asked over
 * the fake long connection, answered one interaction at a time by the person in WeCom, the webhook to a real
 * receiver on 127.0.0.1 (once, signed, retried), idempotent re-posts, the snapshot byte for byte, the
 * long-poll, and the errors a client can make.
 */
import { randomBytes } from 'node:crypto';
import type { Harness } from '../harness';
import { WS_BOT, startHarness } from '../harness';
import { waitConnected } from './hilKit';
import {
  OTHER_KEY,
  type Receiver,
  adminMadeKey,
  WEBHOOK_SECRET,
  api,
  clickCard,
  humanInput,
  interactionId,
  interactionsEnv,
  isCard,
  pushesTo,
  quoteReply,
  signatureValid,
  startReceiver,
  waitPushes,
  yesNo,
} from './interactionsKit';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const chatOf = (userid: string) => `${WS_BOT.key}/single:${userid}`;

describe('interactions API', () => {
  let h: Harness;
  let receiver: Receiver;
  beforeAll(async () => {
    h = await startHarness({ websocket: true, env: interactionsEnv() });
    await waitConnected(h);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await h.close();
    await receiver.close();
  });
  beforeEach(() => receiver.calls.splice(0));

  it('a batch of two answered one at a time: one feedback after the first, one signed webhook after the second', async () => {
    const [a, b] = [interactionId(), interactionId()];
    const snapshot = randomBytes(3688);
    const posted = await api(h, 'POST', '', {
      interactions: [yesNo(a, '要继续部署吗？'), humanInput(b, '发布说明写什么？')],
      target: chatOf('alice'),
      snapshot: { serialization_version: '1.0', serialized_bytes_b64: snapshot.toString('base64') },
      callback_url: receiver.url,
    });
    expect(posted.status).toBe(201);
    const batchId = posted.json['batch_id'] as string;
    const items = posted.json['items'] as Array<{ interaction_id: string; request_id: string; short_id: string }>;
    expect(items.map((i) => i.interaction_id)).toEqual([a, b]);
    expect(items.every((i) => /^[0-9a-f]{8}$/.test(i.short_id))).toBe(true);
    const [card, question] = await waitPushes(h, 'alice', 2);
    expect(isCard(card!)).toBe(true);
    expect(JSON.stringify(card!.body)).toContain('要继续部署吗？');
    expect(isCard(question!)).toBe(false);
    expect(JSON.stringify(question!.body)).toContain('发布说明写什么？');

    const waiting = await api(h, 'GET', `/${batchId}`);
    expect(waiting.json).toMatchObject({ batch_id: batchId, status: 'waiting', feedback_data: [], pending: [a, b] });

    expect(await quoteReply(h, 'alice', question!, '修复了登录问题')).toContain('已收到你的回复');
    const half = await api(h, 'GET', `/${batchId}`);
    expect(half.json).toMatchObject({ status: 'waiting', pending: [a] });
    expect(half.json['feedback_data']).toEqual([
      { interaction_id: b, data: '修复了登录问题', timestamp: expect.any(String) },
    ]);
    await sleep(300);
    expect(receiver.calls).toHaveLength(0);

    await clickCard(h, 'alice', card!, 0);
    const [call] = await receiver.waitForCalls(1);
    expect(signatureValid(call!, WEBHOOK_SECRET)).toBe(true);
    expect(signatureValid(call!, 'some-other-secret-000')).toBe(false);
    expect(call!.headers['x-hil-event']).toBe('interactions.ready');
    expect(call!.headers['x-hil-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    expect(call!.headers['content-type']).toBe('application/json');
    expect(call!.json).toEqual({
      batch_id: batchId,
      status: 'ready',
      feedback_data: [
        { interaction_id: a, data: 'yes', timestamp: expect.any(String) },
        { interaction_id: b, data: '修复了登录问题', timestamp: expect.any(String) },
      ],
      snapshot: { serialization_version: '1.0', serialized_bytes_b64: snapshot.toString('base64') },
    });
    const ready = await api(h, 'GET', `/${batchId}`);
    expect(ready.json).toMatchObject({ status: 'ready', pending: [] });
    // A sweep runs every 3 s: it must not send the delivered batch again.
    await sleep(3500);
    expect(receiver.calls).toHaveLength(1);
  }, 20000);

  it('a retried POST is the same batch and sends nothing twice; a re-raised interaction links its request', async () => {
    const [a, b, c] = [interactionId(), interactionId(), interactionId()];
    const body = { interactions: [humanInput(a, '问题一'), humanInput(b, '问题二')], target: chatOf('bob') };
    const first = await api(h, 'POST', '', body);
    const pushes = await waitPushes(h, 'bob', 2);
    const again = await api(h, 'POST', '', { ...body, interactions: [...body.interactions].reverse() });
    expect(again.status).toBe(200);
    expect(again.json['batch_id']).toBe(first.json['batch_id']);
    expect(again.json['items']).toEqual(first.json['items']);
    await quoteReply(h, 'bob', pushes[0]!, '答案一');
    // Bridgic resumed with the one answer and raised b again (same id, new timestamp, new snapshot) with a new c.
    const reraised = await api(h, 'POST', '', {
      interactions: [
        { ...humanInput(b, '问题二'), event: { ...(humanInput(b, '问题二')['event'] as object), timestamp: 'later' } },
        humanInput(c, '问题三'),
      ],
      target: chatOf('bob'),
      snapshot: { serialization_version: '1.0', serialized_bytes_b64: 'AQID' },
    });
    expect(reraised.status).toBe(201);
    expect(reraised.json['batch_id']).not.toBe(first.json['batch_id']);
    const firstItems = first.json['items'] as Array<{ request_id: string }>;
    const newItems = reraised.json['items'] as Array<{ request_id: string }>;
    expect(newItems[0]!.request_id).toBe(firstItems[1]!.request_id);
    await waitPushes(h, 'bob', 3);
    await sleep(300);
    expect(pushesTo(h, 'bob')).toHaveLength(3);
    const old = await api(h, 'GET', `/${first.json['batch_id'] as string}`);
    expect(old.json['superseded_by']).toBe(reraised.json['batch_id']);
  });

  it('keeps a snapshot byte for byte up to 10 MB and refuses a bigger one with 413', async () => {
    for (const size of [3688, 10 * 1024 * 1024 - 7]) {
      const bytes = randomBytes(size);
      const posted = await api(h, 'POST', '', {
        interactions: [humanInput(interactionId(), '快照')],
        target: chatOf('carol'),
        snapshot: { serialization_version: '1.0', serialized_bytes_b64: bytes.toString('base64') },
      });
      expect(posted.status).toBe(201);
      const got = await api(h, 'GET', `/${posted.json['batch_id'] as string}`);
      const snapshot = got.json['snapshot'] as { serialization_version: string; serialized_bytes_b64: string };
      expect(snapshot.serialization_version).toBe('1.0');
      expect(Buffer.from(snapshot.serialized_bytes_b64, 'base64').equals(bytes)).toBe(true);
    }
    const tooBig = await api(h, 'POST', '', {
      interactions: [humanInput(interactionId(), '太大')],
      target: chatOf('carol'),
      snapshot: {
        serialization_version: '1.0',
        serialized_bytes_b64: randomBytes(10 * 1024 * 1024 + 1).toString('base64'),
      },
    });
    expect(tooBig.status).toBe(413);
    expect(tooBig.json['success']).toBe(false);
    const overLimit = await api(h, 'POST', '', {
      interactions: [humanInput(interactionId(), '超过请求体上限')],
      snapshot: { serialization_version: '1.0', serialized_bytes_b64: 'A'.repeat(15 * 1024 * 1024) },
    });
    expect([overLimit.status, overLimit.json['error']]).toEqual([413, 'request body too large']);
  }, 30000);

  it('the webhook is retried after a 500 and delivered with the same delivery id', async () => {
    receiver.failNext(500);
    const id = interactionId();
    const posted = await api(h, 'POST', '', {
      interactions: [yesNo(id, '重试？')],
      target: { chat_id: 'single:dave', bot: WS_BOT.key },
      callback_url: receiver.url,
      callback_secret: 'per-batch-secret-0123',
    });
    const [card] = await waitPushes(h, 'dave', 1);
    await clickCard(h, 'dave', card!, 1);
    const [failed, delivered] = await receiver.waitForCalls(2);
    expect(delivered!.at - failed!.at).toBeGreaterThanOrEqual(250);
    expect(delivered!.headers['x-hil-delivery']).toBe(failed!.headers['x-hil-delivery']);
    expect(signatureValid(delivered!, 'per-batch-secret-0123')).toBe(true);
    expect(delivered!.json).toMatchObject({
      batch_id: posted.json['batch_id'],
      feedback_data: [{ interaction_id: id, data: 'no' }],
      snapshot: null,
    });
    await sleep(1000);
    expect(receiver.calls).toHaveLength(2);
  });

  it('the long-poll returns as soon as the batch is ready, or at its timeout while waiting', async () => {
    const id = interactionId();
    const posted = await api(h, 'POST', '', {
      interactions: [{ interaction_id: id, event: { event_type: 'DEPLOY_APPROVAL', data: '上线？' } }],
      target: { userid: 'erin', bot: WS_BOT.key },
    });
    const batchId = posted.json['batch_id'] as string;
    const started = Date.now();
    const short = await api(h, 'GET', `/${batchId}/wait?timeout=1`);
    expect(short.json).toMatchObject({ status: 'waiting', pending: [id] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const [card] = await waitPushes(h, 'erin', 1);
    expect(isCard(card!)).toBe(true);
    const waiting = api(h, 'GET', `/${batchId}/wait?timeout=30`);
    await sleep(200);
    const clicked = Date.now();
    await clickCard(h, 'erin', card!, 0);
    const done = await waiting;
    expect(Date.now() - clicked).toBeLessThan(1500);
    expect(done.json).toMatchObject({
      status: 'ready',
      feedback_data: [{ interaction_id: id, data: { decision: 'approved', reason: '' } }],
    });
  });

  it('answers 401 to a wrong key, 400 to a bad body or query, 404 to another key’s batch', async () => {
    const body = { interactions: [humanInput(interactionId(), '谁？')], target: chatOf('frank') };
    expect((await api(h, 'POST', '', body, 'wrong-key-000000000000')).status).toBe(401);
    expect((await api(h, 'POST', '', body, null)).status).toBe(401);
    const bad = await api(h, 'POST', '', { interactions: [{ event: {} }] });
    expect(bad.status).toBe(400);
    expect(bad.json['error']).toContain('interactions.0.interaction_id');
    expect((await api(h, 'POST', '', '{not json')).status).toBe(400);
    const duplicate = interactionId();
    const twice = { ...body, interactions: [humanInput(duplicate, '一'), humanInput(duplicate, '二')] };
    expect((await api(h, 'POST', '', twice)).status).toBe(400);
    expect((await api(h, 'POST', '', { ...body, callback_url: 'ftp://example.com/x' })).status).toBe(400);
    expect((await api(h, 'POST', '', { ...body, target: { bot: WS_BOT.key } })).status).toBe(400);
    const posted = await api(h, 'POST', '', body);
    const batchId = posted.json['batch_id'] as string;
    expect((await api(h, 'GET', `/${batchId}`, undefined, OTHER_KEY)).status).toBe(404);
    expect((await api(h, 'GET', `/${batchId}/wait?timeout=1`, undefined, OTHER_KEY)).status).toBe(404);
    expect((await api(h, 'GET', `/${batchId}`, undefined, 'wrong-key-000000000000')).status).toBe(401);
    expect((await api(h, 'GET', '/not-a-uuid')).status).toBe(404);
    expect((await api(h, 'GET', `/${batchId}/wait?timeout=500`)).status).toBe(400);
  });

  it('refuses a callback_url without a secret for a key made in the admin API, and signs with the one given', async () => {
    const key = await adminMadeKey(h, 'made-in-admin');
    const body = {
      interactions: [humanInput(interactionId(), '管理端的密钥')],
      target: chatOf('grace'),
      callback_url: receiver.url,
    };
    const refused = await api(h, 'POST', '', body, key);
    expect(refused.status).toBe(400);
    expect(refused.json['error']).toContain('callback_secret is required');
    const posted = await api(h, 'POST', '', { ...body, callback_secret: 'admin-key-secret-0123' }, key);
    expect(posted.status).toBe(201);
    const [question] = await waitPushes(h, 'grace', 1);
    await quoteReply(h, 'grace', question!, '好的');
    const [call] = await receiver.waitForCalls(1);
    expect(signatureValid(call!, 'admin-key-secret-0123')).toBe(true);
    expect(call!.json['feedback_data']).toEqual([
      { interaction_id: body.interactions[0]!['interaction_id'], data: '好的', timestamp: expect.any(String) },
    ]);
  });
});
