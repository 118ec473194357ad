/**
 * Self-test of the fake WeCom client against a tiny callback server written here with
 * @wecom/crypto only (wecom-aibot-protocol.md §3, §4, §5.9, §6.2, §9).
 */
import { decrypt, encrypt, getSignature } from '@wecom/crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  FakeWecomClient,
  enterChatPayload,
  feedbackEventPayload,
  imagePayload,
  startResponseUrlServer,
  streamRefreshPayload,
  templateCardEventPayload,
  textPayload,
} from '../../fakes/fakeWecom';
import { listenLocal, readBody, sendBody, type LocalServer } from '../../fakes/shared/localServer';
import { loopbackRequest } from '../../fakes/shared/loopbackRequest';

const TOKEN = 'QDG6eK';
const KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';

type Quirk = 'none' | 'badSignature' | 'badNonce' | 'foreignReceiveId' | 'notStream';
let quirk: Quirk = 'none';
const received: Array<Record<string, unknown>> = [];
let polls = 0;

/** The reply envelope of §4.2, optionally broken in one way. */
function envelope(reply: object, timestamp: string, nonce: string): string {
  const sealed = encrypt(KEY, JSON.stringify(reply), quirk === 'foreignReceiveId' ? 'wx5823bf96d3bd56c7' : '');
  const nonceOut = quirk === 'badNonce' ? '1' : nonce; // correctly signed, but not the callback's nonce
  const sig = getSignature(TOKEN, timestamp, nonceOut, sealed);
  const msgsignature = quirk === 'badSignature' ? sig.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) : sig;
  return JSON.stringify({ encrypt: sealed, msgsignature, timestamp: Number(timestamp), nonce: nonceOut });
}

function replyFor(payload: Record<string, unknown>): object | undefined {
  if (quirk === 'notStream') return { msgtype: 'text', text: { content: 'hi' } };
  if (payload['msgtype'] === 'event') return undefined; // e.g. feedback_event: empty reply only
  if (payload['msgtype'] === 'stream') {
    polls += 1;
    return { msgtype: 'stream', stream: { id: 'S1', finish: polls >= 3, content: '答'.repeat(polls) } };
  }
  return { msgtype: 'stream', stream: { id: 'S1', finish: false, content: '思考中…', feedback: { id: 'fb1' } } };
}

async function miniGateway(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const q = (name: string): string => url.searchParams.get(name) ?? '';
  const raw = (await readBody(req)).toString('utf8');
  const sealed = req.method === 'GET' ? q('echostr') : String((JSON.parse(raw) as { encrypt: string }).encrypt);
  if (getSignature(TOKEN, q('timestamp'), q('nonce'), sealed) !== q('msg_signature'))
    return sendBody(res, 403, 'bad signature');
  const plain = decrypt(KEY, sealed).message;
  if (req.method === 'GET') return sendBody(res, 200, plain, { 'Content-Type': 'text/plain' });
  const payload = JSON.parse(plain) as Record<string, unknown>;
  received.push(payload);
  const reply = replyFor(payload);
  sendBody(res, 200, reply ? envelope(reply, q('timestamp'), q('nonce')) : '', { 'Content-Type': 'text/plain' });
}

let gateway: LocalServer;
let client: FakeWecomClient;
beforeAll(async () => {
  gateway = await listenLocal((req, res) => void miniGateway(req, res));
  client = new FakeWecomClient({
    baseUrl: gateway.origin,
    path: '/wecom/callback/bot1',
    token: TOKEN,
    encodingAesKey: KEY,
  });
});
afterAll(() => gateway.close());
beforeEach(() => {
  quirk = 'none';
  polls = 0;
  received.length = 0;
});

describe('FakeWecomClient', () => {
  it('passes URL verification (§3)', async () => {
    const res = await client.verifyUrl();
    expect(res.status).toBe(200);
    expect(res.text).toBe(res.expected);
    expect(res.expected).toMatch(/^\d{19}$/);
  });

  it('chats: first stream reply, then polls until finish (§5.9)', async () => {
    const t = await client.chat('你好', { pollIntervalMs: 5, chattype: 'group', userid: 'lisi' });
    expect(t.first).toEqual({ id: 'S1', finish: false, content: '思考中…', feedback: { id: 'fb1' } });
    expect(t.snapshots.map((s) => s.content)).toEqual(['答', '答答', '答答答']);
    expect([t.polls, t.final?.finish]).toEqual([3, true]);
    const [message, ...refreshes] = received;
    expect(message).toMatchObject({
      msgtype: 'text',
      text: { content: '你好' },
      chattype: 'group',
      from: { userid: 'lisi' },
    });
    expect(String(message?.['msgid'])).toMatch(/^[0-9a-f]{32}$/);
    expect(String(message?.['response_url'])).toMatch(/^http:\/\/127\.0\.0\.1:/);
    for (const r of refreshes) {
      expect(r).toMatchObject({
        msgtype: 'stream',
        stream: { id: 'S1' },
        chatid: message?.['chatid'],
        from: { userid: 'lisi' },
      });
      expect(r).not.toHaveProperty('response_url');
    }
    expect(new Set(received.map((r) => r['msgid'])).size).toBe(4);
  });

  it('stops polling at pollUntil or maxPolls', async () => {
    expect((await client.chat('x', { pollIntervalMs: 1, pollUntil: (r) => r.content === '答' })).polls).toBe(1);
    polls = 0;
    const capped = await client.chat('x', { pollIntervalMs: 1, maxPolls: 2 });
    expect([capped.polls, capped.final]).toEqual([2, undefined]);
  });

  it('reports a rejected (tampered) signature without throwing', async () => {
    const res = await client.post(textPayload('x'), { tamperSignature: true });
    expect([res.status, res.reply, res.text]).toEqual([403, undefined, 'bad signature']);
  });

  it.each([
    ['badSignature', /msgsignature .* does not verify/],
    ['badNonce', /is not the callback nonce/],
    ['foreignReceiveId', /receiveid "wx5823bf96d3bd56c7" is not ""/],
  ] as const)('throws on a reply with %s', async (bad, message) => {
    quirk = bad;
    await expect(client.sendText('x')).rejects.toThrow(message);
  });

  it('throws when the reply is not a stream, and returns empty replies as such', async () => {
    quirk = 'notStream';
    await expect(client.chat('x', { pollIntervalMs: 1 })).rejects.toThrow(/first reply: reply is not a stream/);
    quirk = 'none';
    const res = await client.post(feedbackEventPayload({ id: 'fb1', type: 1 }));
    expect([res.status, res.text, res.reply]).toEqual([200, '', undefined]);
  });

  it('refuses non-loopback targets', () => {
    expect(
      () => new FakeWecomClient({ baseUrl: 'http://10.0.0.1:80', path: '/', token: TOKEN, encodingAesKey: KEY }),
    ).toThrow(/127\.0\.0\.1/);
  });
});

describe('payload builders (§5)', () => {
  it('follows the field rules', () => {
    expect(textPayload('a')).not.toHaveProperty('chatid');
    expect(textPayload('a', { chattype: 'group', quote: { msgtype: 'text', text: { content: 'q' } } })).toMatchObject({
      chatid: expect.stringMatching(/^wr/),
      quote: { msgtype: 'text' },
    });
    expect(imagePayload('http://127.0.0.1:1/i')).toMatchObject({
      msgtype: 'image',
      image: { url: 'http://127.0.0.1:1/i' },
      response_url: expect.any(String),
    });
    expect(streamRefreshPayload('S9')).not.toHaveProperty('response_url');
    const enter = enterChatPayload({ chattype: 'group' });
    expect(enter).toMatchObject({
      msgtype: 'event',
      chattype: 'single',
      event: { eventtype: 'enter_chat' },
      create_time: expect.any(Number),
    });
    expect(enter).not.toHaveProperty('chatid');
    expect(enter).not.toHaveProperty('response_url');
    const card = templateCardEventPayload({ card_type: 'button_interaction', event_key: 'k', task_id: 't' });
    expect(card).toMatchObject({ response_url: expect.any(String), event: { template_card_event: { task_id: 't' } } });
    expect(feedbackEventPayload({ id: 'f', type: 2, content: 'c' })).not.toHaveProperty('response_url');
  });
});

describe('response_url server (§9)', () => {
  it('records JSON posts and answers errcode 0', async () => {
    const server = await startResponseUrlServer();
    try {
      const body = { msgtype: 'markdown', markdown: { content: '**好**' } };
      const res = await loopbackRequest(server.url('code1'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      await server.waitForPosts(1, 500);
      expect(JSON.parse(res.text)).toEqual({ errcode: 0, errmsg: 'ok' });
      expect(server.posts).toEqual([
        { code: 'code1', body, headers: expect.objectContaining({ 'content-type': 'application/json' }) },
      ]);
      await expect(server.waitForPosts(2, 20)).rejects.toThrow(/expected 2 response_url post/);
    } finally {
      await server.close();
    }
  });
});
