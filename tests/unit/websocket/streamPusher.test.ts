import pino from 'pino';
import type { StreamSnapshot, StreamStore } from '../../../app/store/streamStore';
import { DEFAULT_TEXTS } from '../../../app/config/texts';
import type { WsBotConnection } from '../../../app/websocket/botConnection';
import { WsSendError } from '../../../app/websocket/wsSendError';
import { ConversationQuota } from '../../../app/websocket/conversationQuota';
import { WsStreamPusher } from '../../../app/websocket/streamPusher';

/** A stand-in for the SDK connection: records frames and fails them as each test says. */
class StubConnection {
  readonly frames: Array<{ cmd: string; body: Record<string, unknown> }> = [];
  readonly pushed: Array<Record<string, unknown>> = [];
  fail: (body: Record<string, unknown>) => WsSendError | undefined = () => undefined;
  connected = true;
  attempts = 0;

  reply(_reqId: string, cmd: string, body: Record<string, unknown>): Promise<void> {
    this.attempts += 1;
    const failure = this.fail(body);
    if (failure !== undefined) return Promise.reject(failure);
    this.frames.push({ cmd, body });
    return Promise.resolve();
  }

  sendMessage(_chatid: string, body: Record<string, unknown>): Promise<void> {
    if (!this.connected) return Promise.reject(new WsSendError('link', 'the connection is stopped'));
    this.pushed.push(body);
    return Promise.resolve();
  }

  whenConnected(): Promise<boolean> {
    return Promise.resolve(this.connected);
  }

  streams(): Array<{ finish: boolean; content: string }> {
    return this.frames.map((f) => f.body['stream'] as { finish: boolean; content: string });
  }
}

const store = { publish: () => Promise.resolve() } as unknown as StreamStore;

function pusherOn(conn: StubConnection): WsStreamPusher {
  const deps = {
    conn: conn as unknown as WsBotConnection,
    quota: new ConversationQuota(30, 1000),
    logger: pino({ level: 'silent' }),
    streams: store,
    texts: DEFAULT_TEXTS,
    frameIntervalMs: 1,
    sendWaitMs: 10,
  };
  return new WsStreamPusher(deps, {
    streamId: 's1',
    msgid: 'm1',
    reqId: 'r1',
    chat: { chatid: 'u1', quotaKey: 'b:u1' },
  });
}

const snap = (content: string, finish = false): StreamSnapshot => ({ content, finish });

describe('WsStreamPusher', () => {
  it('sends the first reply with the feedback id, then only changed snapshots, the finish last', async () => {
    const conn = new StubConnection();
    const pusher = pusherOn(conn);
    void pusher.begin(snap(DEFAULT_TEXTS.THINKING), 's1');
    await pusher.publish(snap('你'));
    await pusher.publish(snap('你'));
    await pusher.publish(snap('你好', true));
    expect(conn.streams().at(-1)).toEqual({ id: 's1', finish: true, content: '你好' });
    expect((conn.frames[0]?.body['stream'] as { feedback?: unknown }).feedback).toEqual({ id: 's1' });
    expect(conn.frames.slice(1).every((f) => (f.body['stream'] as { feedback?: unknown }).feedback === undefined)).toBe(
      true,
    );
    const contents = conn.streams().map((s) => s.content);
    expect(new Set(contents).size).toBe(contents.length);
  });

  it('resends the newest snapshot when the link comes back', async () => {
    const conn = new StubConnection();
    let drops = 1;
    conn.fail = (body) =>
      (body['stream'] as { finish: boolean }).finish && drops-- > 0
        ? new WsSendError('link', 'WebSocket connection closed')
        : undefined;
    const pusher = pusherOn(conn);
    void pusher.begin(snap(DEFAULT_TEXTS.THINKING));
    await pusher.publish(snap('完整', true));
    expect(conn.streams().at(-1)).toEqual({ id: 's1', finish: true, content: '完整' });
  });

  it('stops intermediate frames after three refusals but still tries the finish, then pushes the answer', async () => {
    const conn = new StubConnection();
    conn.fail = () => new WsSendError('rejected', 'refused', 846608);
    const pusher = pusherOn(conn);
    void pusher.begin(snap(DEFAULT_TEXTS.THINKING));
    for (const text of ['一', '一二', '一二三', '一二三四', '一二三四五']) {
      await pusher.publish(snap(text));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await pusher.publish(snap('<think>想</think>\n答案', true));
    // The thinking frame and two updates were refused; the rest of the updates were not tried.
    expect(conn.attempts).toBe(4);
    expect(conn.pushed).toEqual([{ msgtype: 'markdown', markdown: { content: '答案' } }]);
  });

  it('finishes (and lets the turn go on) even when the link is gone for good', async () => {
    const conn = new StubConnection();
    conn.connected = false;
    conn.fail = () => new WsSendError('link', 'the connection is taken_over');
    const pusher = pusherOn(conn);
    void pusher.begin(snap(DEFAULT_TEXTS.THINKING));
    await pusher.publish(snap('部分'));
    await expect(pusher.publish(snap('全部', true))).resolves.toBeUndefined();
    expect(conn.frames).toHaveLength(0);
  });
});
