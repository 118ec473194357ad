/**
 * The callback protocol at the HTTP edge (wecom-aibot-protocol.md §3, §4, §5.9, §15): URL verification,
 * dedupe by msgid, polls of unknown streams, events, and bad input answered with the right 4xx.
 */
import { decrypt, getSignature } from '@wecom/crypto';
import { DEFAULT_TEXTS } from '../../app/config/texts';
import {
  enterChatPayload,
  feedbackEventPayload,
  randomMsgid,
  streamRefreshPayload,
  textPayload,
} from '../fakes/fakeWecom';
import { loopbackRequest } from '../fakes/shared/loopbackRequest';
import { TV5, TV6, TV6_BODY } from '../fixtures/wecom/vectors';
import { BOT, type Harness, startHarness } from './harness';

const POLL = { pollIntervalMs: 20, maxPolls: 500 };

describe('callback protocol', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('answers URL verification with the exact decrypted echostr as text/plain', async () => {
    const result = await h.wecom().verifyUrl('1616140317555161061');
    expect(result.status).toBe(200);
    expect(result.text).toBe('1616140317555161061');
    expect(result.contentType).toMatch(/^text\/plain/);
  });

  it('answers the protocol reference vector TV-5 byte-exact', async () => {
    const query = `msg_signature=${TV5.signature}&timestamp=${TV5.timestamp}&nonce=${TV5.nonce}&echostr=${encodeURIComponent(TV5.ciphertext)}`;
    const res = await loopbackRequest(`${h.url}/wecom/callback/any?${query}`, { method: 'GET' });
    expect(res.status).toBe(200);
    expect(res.text).toBe(TV5.plaintext);
  });

  it('answers the reference group message TV-6 with a thinking stream sealed with its timestamp and nonce', async () => {
    const query = `msg_signature=${TV6.signature}&timestamp=${TV6.timestamp}&nonce=${TV6.nonce}`;
    const res = await loopbackRequest(`${h.url}/wecom/callback/any?${query}`, { method: 'POST', body: TV6_BODY });
    expect(res.status).toBe(200);
    const envelope = JSON.parse(res.text) as {
      encrypt: string;
      msgsignature: string;
      timestamp: number;
      nonce: string;
    };
    expect(envelope).toMatchObject({ timestamp: Number(TV6.timestamp), nonce: TV6.nonce });
    expect(envelope.msgsignature).toBe(getSignature(TV6.token, TV6.timestamp, TV6.nonce, envelope.encrypt));
    const { message, id } = decrypt(TV6.encodingAesKey, envelope.encrypt);
    expect(id).toBe('');
    expect(JSON.parse(message)).toMatchObject({
      msgtype: 'stream',
      stream: { finish: false, content: DEFAULT_TEXTS.THINKING },
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.dify.runRequests().at(-1)?.body).toMatchObject({
      query: '你好，机器人',
      user: 'wecom:AIBOTID:group:CHATID',
    });
  });

  it('gives a retried msgid the same stream and never a second Dify run', async () => {
    const client = h.wecom();
    const before = h.dify.runRequests().length;
    const payload = textPayload('重复的消息', { aibotid: client.aibotid, msgid: randomMsgid(), userid: 'dup-user' });
    const first = await client.post(payload);
    const retry = await client.post(payload);
    const firstId = (first.reply?.['stream'] as { id: string }).id;
    expect((retry.reply?.['stream'] as { id: string }).id).toBe(firstId);
    // Let the turn finish, then retry once more: still the same stream, now finished.
    let finished = false;
    for (let i = 0; i < 200 && !finished; i += 1) {
      const poll = await client.poll(firstId, { userid: 'dup-user' });
      finished = (poll.reply?.['stream'] as { finish: boolean }).finish;
    }
    const late = await client.post(payload);
    expect(late.reply?.['stream']).toMatchObject({ id: firstId, finish: true, content: '收到：重复的消息' });
    expect(h.dify.runRequests().length - before).toBe(1);
  });

  it('finishes a poll for an unknown stream id with a short notice', async () => {
    const client = h.wecom();
    const result = await client.post(streamRefreshPayload('s_unknown', { aibotid: client.aibotid }));
    expect(result.reply).toEqual({
      msgtype: 'stream',
      stream: { id: 's_unknown', finish: true, content: DEFAULT_TEXTS.STREAM_EXPIRED },
    });
  });

  it('answers events with an empty 200 for now', async () => {
    const client = h.wecom();
    for (const payload of [
      enterChatPayload({ aibotid: client.aibotid }),
      feedbackEventPayload({ id: 'fb1', type: 1 }, { aibotid: client.aibotid }),
    ]) {
      const result = await client.post(payload);
      expect(result.status).toBe(200);
      expect(result.text).toBe('');
    }
  });

  it('asks for a question when a group message holds only the mention', async () => {
    const t = await h.wecom().chat('@RobotA ', { ...POLL, chattype: 'group' });
    expect(t.first).toMatchObject({ finish: true, content: DEFAULT_TEXTS.EMPTY_QUESTION });
  });

  it('answers a body that arrives without a content type', async () => {
    const client = h.wecom();
    const result = await client.post(textPayload('没有类型', { aibotid: client.aibotid, userid: 'ct-user' }), {
      contentType: 'application/octet-stream',
    });
    expect(result.status).toBe(200);
    expect(result.reply?.['msgtype']).toBe('stream');
  });
});

describe('bad input gets the right 4xx and the process keeps serving', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      env: { WECOM_TOKEN: '', WECOM_ENCODING_AES_KEY: '', WECOM_BOTS: JSON.stringify({ bot1: BOT }) },
    });
  });
  afterAll(() => h.close());

  const post = (path: string, body: string, query = 'msg_signature=0&timestamp=1&nonce=2') =>
    loopbackRequest(`${h.url}${path}?${query}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
    });

  it('401 for a wrong signature', async () => {
    const client = h.wecom();
    const result = await client.post(textPayload('hi', { aibotid: client.aibotid }), { tamperSignature: true });
    expect(result.status).toBe(401);
  });

  it('401 for a wrong signature on URL verification', async () => {
    const res = await loopbackRequest(
      `${h.url}/wecom/callback/bot1?msg_signature=${'0'.repeat(40)}&timestamp=1&nonce=2&echostr=abc`,
      { method: 'GET' },
    );
    expect(res.status).toBe(401);
  });

  it('400 for a body that is not an envelope, and for missing query parameters', async () => {
    const client = h.wecom();
    expect((await client.post(textPayload('hi'), { rawBody: 'not json at all' })).status).toBe(400);
    expect((await client.post(textPayload('hi'), { rawBody: '{"encrypt":' })).status).toBe(400);
    expect((await post('/wecom/callback/bot1', '{"encrypt":"abc"}', 'timestamp=1')).status).toBe(400);
  });

  it('400 for a ciphertext that is signed correctly but does not decrypt', async () => {
    const encrypt = Buffer.alloc(48, 7).toString('base64');
    const signature = getSignature(BOT.token, '1', '2', encrypt);
    const res = await post(
      '/wecom/callback/bot1',
      JSON.stringify({ encrypt }),
      `msg_signature=${signature}&timestamp=1&nonce=2`,
    );
    expect(res.status).toBe(400);
  });

  it('400 for a decrypted payload of the wrong shape', async () => {
    const result = await h
      .wecom()
      .post({ msgtype: 'text', msgid: 'x', aibotid: 'a', chattype: 'single', from: { userid: 'u' } });
    expect(result.status).toBe(400);
  });

  it('413 for a body over 1 MB', async () => {
    const res = await post('/wecom/callback/bot1', JSON.stringify({ encrypt: 'A'.repeat(1024 * 1024 + 10) }));
    expect(res.status).toBe(413);
  });

  it('404 for a bot that is not configured', async () => {
    const client = h.wecom('/wecom/callback/nobody');
    const result = await client.post(textPayload('hi', { aibotid: client.aibotid }));
    expect(result.status).toBe(404);
  });

  it('still answers a good message after all of that', async () => {
    const t = await h.wecom().chat('你还好吗', { ...POLL, userid: 'after-errors' });
    expect(t.final?.content).toBe('收到：你还好吗');
  });

  it('never writes tokens, keys or message text into its logs at info level', () => {
    const infoLines = h.logs.filter((line) => (line['level'] as number) >= 30).map((line) => JSON.stringify(line));
    const text = infoLines.join('\n');
    expect(infoLines.length).toBeGreaterThan(3);
    for (const secret of [BOT.token, BOT.encodingAesKey, 'app-chat', '你还好吗']) expect(text).not.toContain(secret);
  });
});
