/**
 * Self-test of the fake WeCom long-connection server, driven by the official SDK's WSClient
 * (wecom-aibot-protocol.md §12). If the SDK accepts the fake here, gateway tests built on the
 * fake exercise the same code paths as production. Everything listens on 127.0.0.1.
 */
import { createHash, randomBytes } from 'node:crypto';
import { WSClient, type Logger, type WSClientEventMap, type WSClientOptions } from '@wecom/aibot-node-sdk';
import {
  startFakeWecomWs,
  WS_BOT_ID,
  wsCardEvent,
  wsEnterChat,
  wsFeedback,
  wsText,
  type FakeWecomWs,
  type JsonObject,
  type RawWsClient,
  type WireFrame,
} from '../../fakes/fakeWecomWs';

const BOT = WS_BOT_ID;
const SECRET = 'fake-ws-secret-0001';

/** The SDK logs every frame at info/debug level; tests stay quiet. */
const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

let fake: FakeWecomWs;
let clients: WSClient[] = [];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The arguments of the client's next `name` event; rejects instead of hanging. */
function nextEvent<K extends keyof WSClientEventMap>(
  client: WSClient,
  name: K,
  timeoutMs = 2000,
): Promise<Parameters<WSClientEventMap[K]>> {
  return new Promise((resolve, reject) => {
    // eventemitter3's listener typing does not line up with Parameters<> for a generic K;
    // unknown[] is accepted for every event, and the map guarantees the tuple's real type.
    const listener = (...args: unknown[]): void => {
      clearTimeout(timer);
      resolve(args as Parameters<WSClientEventMap[K]>);
    };
    const timer = setTimeout(() => {
      client.off(name, listener);
      reject(new Error(`no '${name}' event within ${timeoutMs} ms`));
    }, timeoutMs);
    client.once(name, listener);
  });
}

/** Small reconnect and heartbeat intervals keep the recovery tests well under a second. */
function newClient(overrides: Partial<WSClientOptions> = {}): WSClient {
  const client = new WSClient({
    botId: BOT,
    secret: SECRET,
    wsUrl: fake.url,
    heartbeatInterval: 5000,
    reconnectInterval: 50,
    logger: silent,
    ...overrides,
  });
  clients.push(client);
  return client;
}

async function ready(overrides: Partial<WSClientOptions> = {}): Promise<WSClient> {
  const client = newClient(overrides);
  const authenticated = nextEvent(client, 'authenticated');
  client.connect();
  await authenticated;
  return client;
}

/** Pushes a text message and resolves with the frame the SDK hands to its listeners. */
async function receiveText(client: WSClient, content: string): Promise<Parameters<WSClientEventMap['message']>[0]> {
  const got = nextEvent(client, 'message');
  fake.pushMessage(BOT, wsText(content));
  const [frame] = await got;
  return frame;
}

/** A promise's rejection value, or 'resolved' (the SDK rejects with ack frames, not Errors). */
function outcome(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => 'resolved',
    (reason: unknown) => reason,
  );
}

async function rawCall(raw: RawWsClient, cmd: string, body: JsonObject): Promise<WireFrame> {
  const reqId = raw.send(cmd, body);
  return raw.waitFor((f) => f.cmd === undefined && f.headers.req_id === reqId);
}

beforeEach(async () => {
  fake = await startFakeWecomWs({ bots: { [BOT]: SECRET } });
  clients = [];
});

afterEach(async () => {
  for (const client of clients) client.disconnect();
  await fake.close();
});

describe('fake WeCom long-connection server, driven by @wecom/aibot-node-sdk', () => {
  it('accepts the SDK subscribe and refuses pushes to a bot without a live connection', async () => {
    expect(() => fake.pushMessage(BOT, wsText('too early'))).toThrow(/no live subscribed connection/);
    const client = await ready();
    expect(fake.subscribes(BOT)).toBe(1);
    expect(fake.isConnected(BOT)).toBe(true);
    expect(client.isConnected).toBe(true);
    const subscribe = await fake.waitForFrame((f) => f.cmd === 'aibot_subscribe');
    expect(subscribe.body).toEqual({ bot_id: BOT, secret: SECRET });
    expect(subscribe.reqId).toMatch(/^aibot_subscribe_/);
    expect(fake.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
  });

  it('delivers a pushed text message and records the acked stream replies', async () => {
    const client = await ready();
    const got = nextEvent(client, 'message.text');
    const body = wsText('帮我总结一下', { userid: 'lisi' });
    const reqId = fake.pushMessage(BOT, body);
    const [frame] = await got;
    expect(frame).toEqual({ cmd: 'aibot_msg_callback', headers: { req_id: reqId }, body });

    const ack = await client.replyStream(frame, 'stream-1', '思考中', false, undefined, { id: 'fb-1' });
    expect(ack).toEqual({ headers: { req_id: reqId }, errcode: 0, errmsg: 'ok' });
    await client.replyStream(frame, 'stream-1', '总结如下', true);
    const replies = fake.frames.filter((f) => f.cmd === 'aibot_respond_msg');
    expect(replies.map((f) => [f.reqId, f.botId, f.body])).toEqual([
      [
        reqId,
        BOT,
        { msgtype: 'stream', stream: { id: 'stream-1', finish: false, content: '思考中', feedback: { id: 'fb-1' } } },
      ],
      [reqId, BOT, { msgtype: 'stream', stream: { id: 'stream-1', finish: true, content: '总结如下' } }],
    ]);
  });

  it('rejects a reply to an unknown req_id with the ack frame itself, not an Error', async () => {
    const client = await ready();
    const failure = await outcome(client.replyStream({ headers: { req_id: 'never-delivered' } }, 's', 'x', true));
    expect(failure).not.toBeInstanceOf(Error);
    expect(failure).toEqual({ headers: { req_id: 'never-delivered' }, errcode: 846605, errmsg: 'invalid req_id' });
  });

  it('routes events, and checks which callback a welcome or a card update answers', async () => {
    const client = await ready();
    const entered = nextEvent(client, 'event.enter_chat');
    fake.pushEvent(BOT, wsEnterChat({ userid: 'wangwu' }));
    const [enter] = await entered;
    await expect(client.replyWelcome(enter, { msgtype: 'text', text: { content: '欢迎' } })).resolves.toMatchObject({
      errcode: 0,
    });

    const text = await receiveText(client, 'hi');
    await expect(
      outcome(client.replyWelcome(text, { msgtype: 'text', text: { content: 'no' } })),
    ).resolves.toMatchObject({ errcode: 846605 });

    const clicked = nextEvent(client, 'event.template_card_event');
    fake.pushEvent(BOT, wsCardEvent({ eventKey: 'approve', taskId: 'task-1', cardType: 'button_interaction' }));
    const [click] = await clicked;
    // Nested under the event type as in the HTTP callbacks (§5.10); the SDK's typing is flatter.
    expect(click.body).toMatchObject({
      event: { template_card_event: { card_type: 'button_interaction', event_key: 'approve', task_id: 'task-1' } },
    });
    await client.updateTemplateCard(click, {
      card_type: 'text_notice',
      task_id: 'task-1',
      main_title: { title: '已同意' },
    });
    const update = await fake.waitForFrame((f) => f.cmd === 'aibot_respond_update_msg');
    expect(update.body).toMatchObject({ response_type: 'update_template_card', template_card: { task_id: 'task-1' } });

    const rated = nextEvent(client, 'event.feedback_event');
    fake.pushEvent(BOT, wsFeedback({ id: 'fb-1', type: 2, content: '不准确', reasons: [2] }));
    const [feedback] = await rated;
    expect(feedback.body?.event).toEqual({
      eventtype: 'feedback_event',
      feedback_event: { id: 'fb-1', type: 2, content: '不准确', inaccurate_reason_list: [2] },
    });

    await client.sendMessage('zhangsan', { msgtype: 'markdown', markdown: { content: '**主动**' } });
    const sent = await fake.waitForFrame((f) => f.cmd === 'aibot_send_msg');
    expect(sent.reqId).toMatch(/^aibot_send_msg_/);
    expect(sent.body).toEqual({ chatid: 'zhangsan', msgtype: 'markdown', markdown: { content: '**主动**' } });
  });

  it('stores an uploaded 1.2 MB file (3 chunks) under the returned media_id', async () => {
    const client = await ready();
    const bytes = randomBytes(1_200_000);
    const result = await client.uploadMedia(bytes, { type: 'file', filename: 'report.pdf' });
    expect(fake.media(result.media_id)?.equals(bytes)).toBe(true);
    expect(fake.uploads.get(result.media_id)).toMatchObject({ botId: BOT, type: 'file', filename: 'report.pdf' });
    expect(result).toMatchObject({ type: 'file', created_at: expect.stringMatching(/^\d+$/) });
    const chunks = fake.frames.filter((f) => f.cmd === 'aibot_upload_media_chunk').map((f) => f.body?.['chunk_index']);
    expect(chunks.sort()).toEqual([0, 1, 2]);
  });

  it('refuses to finish an upload with missing chunks or a wrong md5 (bare client)', async () => {
    const raw = await fake.connectAs(BOT, SECRET);
    expect(raw.ack).toMatchObject({ errcode: 0 });
    const data = Buffer.from('hello world');
    const wrongMd5 = createHash('md5').update('something else').digest('hex');
    const init = await rawCall(raw, 'aibot_upload_media_init', {
      type: 'file',
      filename: 'a.txt',
      total_size: data.length,
      total_chunks: 1,
      md5: wrongMd5,
    });
    const uploadId = String(init.body?.['upload_id']);
    expect((await rawCall(raw, 'aibot_upload_media_finish', { upload_id: uploadId })).errmsg).toMatch(
      /missing chunks 0/,
    );
    expect(
      (
        await rawCall(raw, 'aibot_upload_media_chunk', {
          upload_id: uploadId,
          chunk_index: 0,
          base64_data: data.toString('base64'),
        })
      ).errcode,
    ).toBe(0);
    expect((await rawCall(raw, 'aibot_upload_media_finish', { upload_id: uploadId })).errmsg).toMatch(/md5/);
    expect(fake.uploads.size).toBe(0);
  });

  it('makes the SDK retry on a wrong secret, and lets it in once the secret matches', async () => {
    fake.setSecret(BOT, 'rotated-secret');
    const client = newClient();
    const errors: Error[] = [];
    client.on('error', (error) => errors.push(error));
    client.connect();
    await fake.waitUntil(() => fake.authFailures(BOT) >= 2, 3000, 'two auth failures');
    expect(fake.subscribes(BOT)).toBe(0);
    expect(errors[0]?.message).toBe('Authentication failed: invalid bot_id or secret (code: 600011)');
    const authenticated = nextEvent(client, 'authenticated', 3000);
    fake.setSecret(BOT, SECRET);
    await authenticated;
    expect(fake.subscribes(BOT)).toBe(1);
  });

  it('lets the SDK reconnect after a network drop and keeps delivering', async () => {
    const client = await ready();
    const disconnected = nextEvent(client, 'disconnected');
    fake.drop(BOT);
    await disconnected;
    await fake.waitForSubscribed(BOT, 2);
    const frame = await receiveText(client, 'after the drop');
    expect(frame.body?.text).toEqual({ content: 'after the drop' });
    const subscribeConns = fake.frames.filter((f) => f.cmd === 'aibot_subscribe').map((f) => f.connId);
    expect(new Set(subscribeConns).size).toBe(2);
  });

  it('hands the bot to a newer connection: the SDK gets disconnected_event and stays down', async () => {
    const client = await ready();
    const kicked = nextEvent(client, 'event.disconnected_event');
    const disconnected = nextEvent(client, 'disconnected');
    const raw = await fake.connectAs(BOT, SECRET);
    expect(raw.ack).toMatchObject({ errcode: 0 });
    const [event] = await kicked;
    expect(event.body).toMatchObject({ aibotid: BOT, msgtype: 'event', event: { eventtype: 'disconnected_event' } });
    expect((await disconnected)[0]).toMatch(/new connection/i);
    await sleep(300); // six reconnect intervals: long enough to see a wrongful reconnect
    expect(client.isConnected).toBe(false);
    expect(fake.subscribes(BOT)).toBe(2);
    const reqId = fake.pushMessage(BOT, wsText('to the newer connection'));
    await raw.waitFor((f) => f.cmd === 'aibot_msg_callback' && f.headers.req_id === reqId);
  });

  it('kicks a bare connection the same way when the SDK subscribes after it', async () => {
    const raw = await fake.connectAs(BOT, SECRET);
    await ready();
    const event = await raw.waitFor((f) => f.cmd === 'aibot_event_callback');
    expect(event.body?.['event']).toEqual({ eventtype: 'disconnected_event' });
    expect(await raw.closed).toBe(1000);
    expect(fake.isConnected(BOT)).toBe(true);
  });

  it('keeps the link while pings are acked, and lets the SDK reconnect when they are not', async () => {
    const client = await ready({ heartbeatInterval: 50 });
    let drops = 0;
    client.on('disconnected', () => (drops += 1));
    await sleep(400);
    expect(drops).toBe(0);
    expect(fake.subscribes(BOT)).toBe(1);
    expect(fake.frames.filter((f) => f.cmd === 'ping').length).toBeGreaterThanOrEqual(4);

    fake.setPingAcks(false);
    await fake.waitForSubscribed(BOT, 2, 3000);
    expect(drops).toBeGreaterThanOrEqual(1);
  });

  it('lets a test override acks: an error code, or silence until the SDK gives up', async () => {
    const client = await ready();
    const frame = await receiveText(client, 'hello');
    fake.setAck((f) =>
      f.cmd === 'aibot_respond_msg' ? { errcode: 846608, errmsg: 'stream message update expired' } : undefined,
    );
    await expect(outcome(client.replyStream(frame, 's', 'x', false))).resolves.toMatchObject({ errcode: 846608 });

    fake.setAck((f) => (f.cmd === 'aibot_respond_msg' ? 'none' : undefined));
    const before = fake.frames.length;
    const pending = outcome(client.replyStream(frame, 's', 'y', true));
    await fake.waitForFrame((f) => f.seq > before && f.cmd === 'aibot_respond_msg');
    expect(client.hasPendingReplyAck(frame)).toBe(true);
    // Without an ack the SDK would wait 5 s; disconnecting rejects the reply at once, with an Error.
    client.disconnect();
    const failure = await pending;
    expect(failure).toBeInstanceOf(Error);
    expect(failure instanceof Error && failure.message).toMatch(/Connection manually closed/);
  });
});
