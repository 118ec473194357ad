/**
 * WeCom's polling loop (wecom-aibot-protocol.md §5.9, §6.2, §8): after a stream reply with
 * finish:false, WeCom sends `msgtype:"stream"` refreshes (≈1/s) for the same stream.id until
 * a reply has finish:true. Every answer must be a stream; its content is a full snapshot.
 */
import type { CallbackResult, FakeWecomClient } from './client';
import type { MessageOpts } from './payloads';

export interface StreamReply {
  id: string;
  finish: boolean;
  content: string;
  msg_item?: unknown[];
  feedback?: { id: string };
}

export interface ChatOpts extends MessageOpts {
  pollIntervalMs?: number;
  maxPolls?: number;
  pollUntil?: (reply: StreamReply) => boolean;
}

export interface ChatTranscript {
  first: StreamReply;
  firstMs: number;
  snapshots: StreamReply[];
  final?: StreamReply;
  polls: number;
  totalMs: number;
}

/** §6.2 / §6.4: the `stream` object of a stream (or stream_with_template_card) reply. */
export function asStreamReply(result: CallbackResult, what: string): StreamReply {
  const { reply } = result;
  if (!reply) {
    throw new Error(
      `${what}: expected an encrypted stream reply, got HTTP ${result.status} ${JSON.stringify(result.text.slice(0, 200))}`,
    );
  }
  const stream = reply['stream'] as Record<string, unknown> | undefined;
  const isStream = reply['msgtype'] === 'stream' || reply['msgtype'] === 'stream_with_template_card';
  if (!isStream || !stream || typeof stream['id'] !== 'string' || typeof stream['finish'] !== 'boolean') {
    throw new Error(`${what}: reply is not a stream: ${JSON.stringify(reply).slice(0, 300)}`);
  }
  const out: StreamReply = { id: stream['id'], finish: stream['finish'], content: String(stream['content'] ?? '') };
  if (Array.isArray(stream['msg_item'])) out.msg_item = stream['msg_item'];
  const feedback = stream['feedback'] as { id?: unknown } | undefined;
  if (typeof feedback?.id === 'string') out.feedback = { id: feedback.id };
  return out;
}

/** Polls carry the conversation's sender and chat, like the refresh example in §5.9. */
function pollOptsOf(payload: Record<string, unknown>): MessageOpts {
  const from = payload['from'] as { userid?: unknown } | undefined;
  const opts: MessageOpts = {};
  if (typeof from?.userid === 'string') opts.userid = from.userid;
  if (payload['chattype'] === 'group' || payload['chattype'] === 'single') opts.chattype = payload['chattype'];
  if (typeof payload['chatid'] === 'string') opts.chatid = payload['chatid'];
  return opts;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function runConversation(
  client: FakeWecomClient,
  payload: Record<string, unknown>,
  opts: ChatOpts,
): Promise<ChatTranscript> {
  const started = Date.now();
  const sent = await client.post(payload);
  const first = asStreamReply(sent, 'first reply');
  const transcript: ChatTranscript = { first, firstMs: sent.ms, snapshots: [], polls: 0, totalMs: 0 };
  const done = (r: StreamReply): boolean => r.finish || (opts.pollUntil?.(r) ?? false);
  if (first.finish) transcript.final = first;
  let latest = first;
  while (!done(latest) && transcript.polls < (opts.maxPolls ?? 400)) {
    await sleep(opts.pollIntervalMs ?? 1000);
    transcript.polls += 1;
    latest = asStreamReply(await client.poll(first.id, pollOptsOf(payload)), `poll #${transcript.polls}`);
    if (latest.id !== first.id) {
      throw new Error(
        `poll #${transcript.polls}: stream id changed from ${first.id} to ${latest.id} (§6.2: keep it stable)`,
      );
    }
    transcript.snapshots.push(latest);
    if (latest.finish) transcript.final = latest;
  }
  transcript.totalMs = Date.now() - started;
  return transcript;
}
