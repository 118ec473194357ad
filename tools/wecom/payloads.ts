/**
 * The decrypted callback payloads the simulator sends (wecom-aibot-protocol.md §5.1, §5.3, §5.8, §5.9,
 * §5.10): a text message (optionally quoting one), the stream refresh poll, enter_chat, feedback_event
 * and template_card_event.
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
 * The response_url points at a closed loopback port: the simulator does not receive active replies
 * (§9), and a gateway that uses it fails fast instead of reaching WeCom.
 */
const deadResponseUrl = (): string =>
  `http://127.0.0.1:9/cgi-bin/aibot/response?response_code=${randomBytes(8).toString('hex')}`;

/** §5.3, with §5.8's quote of a text message when `quote` is given (a quote-reply). */
export function textPayload(text: string, sender: Sender, quote?: string): Payload {
  const out: Payload = { ...common(sender), response_url: deadResponseUrl(), msgtype: 'text', text: { content: text } };
  if (quote !== undefined) out['quote'] = { msgtype: 'text', text: { content: quote } };
  return out;
}

/** §5.4: an image (single chat), its URL serving the encrypted bytes like WeCom's media URLs (§10). */
export function imagePayload(mediaUrl: string, sender: Sender): Payload {
  return {
    ...common({ userid: sender.userid, chatid: undefined }),
    response_url: deadResponseUrl(),
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

export interface CardClick {
  taskId: string;
  eventKey: string;
  /** The clicked card's card_type (button_interaction unless told). */
  cardType: string;
}

/**
 * §5.10 template_card_event: a click on a card's button (or a top-right menu item), with a response_url
 * like WeCom's. No selected_items: vote/multiple cards' choices are not simulated.
 */
export function cardEventPayload(sender: Sender, click: CardClick): Payload {
  const event = {
    eventtype: 'template_card_event',
    template_card_event: { card_type: click.cardType, event_key: click.eventKey, task_id: click.taskId },
  };
  return { ...eventPayload(sender, event), response_url: deadResponseUrl() };
}
