/**
 * The decrypted callback payloads the simulator sends (wecom-aibot-protocol.md §5.1, §5.3, §5.9,
 * §5.10): a text message, the stream refresh poll, enter_chat and feedback_event.
 */
import { randomBytes } from 'node:crypto';
import { CliError } from './errors';

export interface Sender {
  userid: string;
  /** Group chat id; undefined = single chat. */
  chatid: string | undefined;
}

type Payload = Record<string, unknown>;

const AIBOTID = 'aibWECOMCLI0001';
const randomMsgid = (): string => randomBytes(16).toString('hex');

function common(sender: Sender): Payload {
  const out: Payload = { msgid: randomMsgid(), aibotid: AIBOTID };
  if (sender.chatid !== undefined) out['chatid'] = sender.chatid;
  out['chattype'] = sender.chatid !== undefined ? 'group' : 'single';
  out['from'] = { userid: sender.userid };
  return out;
}

/**
 * §5.3. The response_url points at a closed loopback port: the simulator does not receive
 * active replies (§9), and a gateway that uses it fails fast instead of reaching WeCom.
 */
export function textPayload(text: string, sender: Sender): Payload {
  const responseUrl = `http://127.0.0.1:9/cgi-bin/aibot/response?response_code=${randomBytes(8).toString('hex')}`;
  return { ...common(sender), response_url: responseUrl, msgtype: 'text', text: { content: text } };
}

/** §5.4: an image (single chat), its URL serving the encrypted bytes like WeCom's media URLs (§10). */
export function imagePayload(mediaUrl: string, sender: Sender): Payload {
  const responseUrl = `http://127.0.0.1:9/cgi-bin/aibot/response?response_code=${randomBytes(8).toString('hex')}`;
  return {
    ...common({ userid: sender.userid, chatid: undefined }),
    response_url: responseUrl,
    msgtype: 'image',
    image: { url: mediaUrl },
  };
}

/** §5.9: a refresh poll, fresh msgid, no response_url. */
export function pollPayload(streamId: string, sender: Sender): Payload {
  return { ...common(sender), msgtype: 'stream', stream: { id: streamId } };
}

function eventPayload(sender: Sender, event: Payload): Payload {
  const { msgid, ...rest } = common(sender);
  return { msgid, create_time: Math.floor(Date.now() / 1000), ...rest, msgtype: 'event', event };
}

/** §5.10: single chat, no chatid. */
export function enterChatPayload(userid: string): Payload {
  return eventPayload({ userid, chatid: undefined }, { eventtype: 'enter_chat' });
}

const FEEDBACK_TYPES: Record<string, number> = { like: 1, dislike: 2, cancel: 3 };

/** §5.10 feedback_event: type 1 accurate, 2 inaccurate, 3 cancel. */
export function feedbackPayload(sender: Sender, feedbackId: string, kind: string): Payload {
  const type = FEEDBACK_TYPES[kind];
  if (type === undefined) throw new CliError(`feedback must be like, dislike or cancel (got ${kind})`);
  return eventPayload(sender, { eventtype: 'feedback_event', feedback_event: { id: feedbackId, type } });
}
