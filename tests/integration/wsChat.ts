/**
 * A user's message over the fake long connection (wecom-aibot-protocol.md §12) and everything the
 * gateway pushed back for it: its stream frames (same req_id, finish last) and what followed.
 */
import type { StreamReply } from '../fakes/fakeWecom';
import { type ClientFrame, type FakeWecomWs, WS_BOT_ID } from '../fakes/fakeWecomWs';
import type { WsBody } from '../fakes/fakeWecomWs/types';

export interface WsTranscript {
  readonly reqId: string;
  /** The stream frames, in order; the same shape as a callback transcript's snapshots. */
  readonly snapshots: StreamReply[];
  readonly first: StreamReply;
  readonly final: StreamReply | undefined;
  /** Every aibot_respond_msg frame of this req_id (stream frames, then image or notice messages). */
  readonly replies: ClientFrame[];
}

export function streamOf(frame: ClientFrame): StreamReply | undefined {
  const stream = frame.body?.['stream'] as Record<string, unknown> | undefined;
  if (stream === undefined || typeof stream['id'] !== 'string') return undefined;
  const out: StreamReply = {
    id: stream['id'],
    finish: stream['finish'] === true,
    content: String(stream['content'] ?? ''),
  };
  if (Array.isArray(stream['msg_item'])) out.msg_item = stream['msg_item'];
  const feedback = stream['feedback'] as { id?: unknown } | undefined;
  if (typeof feedback?.id === 'string') out.feedback = { id: feedback.id };
  return out;
}

export function repliesTo(ws: FakeWecomWs, reqId: string): ClientFrame[] {
  return ws.frames.filter((f) => f.reqId === reqId && f.cmd === 'aibot_respond_msg');
}

/** Pushes `body` as a message callback and waits for the finishing stream frame of its req_id. */
export async function wsChat(
  ws: FakeWecomWs,
  body: WsBody,
  timeoutMs = 10_000,
  botId = WS_BOT_ID,
): Promise<WsTranscript> {
  const reqId = ws.pushMessage(botId, body);
  await ws.waitForFrame(
    (f) => f.reqId === reqId && f.cmd === 'aibot_respond_msg' && streamOf(f)?.finish === true,
    timeoutMs,
  );
  const replies = repliesTo(ws, reqId);
  const snapshots = replies.map(streamOf).filter((s): s is StreamReply => s !== undefined);
  const [first] = snapshots;
  if (first === undefined) throw new Error('no stream frame');
  return { reqId, snapshots, first, final: snapshots.find((s) => s.finish), replies };
}
