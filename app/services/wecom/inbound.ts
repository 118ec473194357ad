import type { z } from 'zod';
import {
  type DisconnectedEventSchema,
  type EnterChatEventSchema,
  type FeedbackEventSchema,
  type FileMessageSchema,
  type ImageMessageSchema,
  type MediaSchema,
  type MixedItemSchema,
  type MixedMessageSchema,
  type QuoteSchema,
  type StreamRefreshSchema,
  type TemplateCardEventSchema,
  type TextMessageSchema,
  type UnknownEventSchema,
  type UnsupportedSchema,
  type VideoMessageSchema,
  type VoiceMessageSchema,
  type WecomEventSchema,
  WecomInboundSchema,
} from './inboundSchemas';

/**
 * The one parser of WeCom's decrypted callback JSON (wecom-aibot-protocol.md §5). Everything
 * else in the app works on the typed result. Field names are WeCom's own (msgtype, msgid,
 * aibotid, chatid, chattype, from.userid, response_url, create_time) so logs match the docs.
 */

export type MediaRef = z.infer<typeof MediaSchema>;
export type MixedItem = z.infer<typeof MixedItemSchema>;
export type QuotedMessage = z.infer<typeof QuoteSchema>;

export type TextMessage = z.infer<typeof TextMessageSchema>;
export type ImageMessage = z.infer<typeof ImageMessageSchema>;
export type MixedMessage = z.infer<typeof MixedMessageSchema>;
export type VoiceMessage = z.infer<typeof VoiceMessageSchema>;
export type FileMessage = z.infer<typeof FileMessageSchema>;
export type VideoMessage = z.infer<typeof VideoMessageSchema>;
export type StreamRefresh = z.infer<typeof StreamRefreshSchema>;
export type WecomEvent = z.infer<typeof WecomEventSchema>;
export type Unsupported = z.infer<typeof UnsupportedSchema>;

export type EnterChatEvent = z.infer<typeof EnterChatEventSchema>;
export type TemplateCardEvent = z.infer<typeof TemplateCardEventSchema>;
export type FeedbackEvent = z.infer<typeof FeedbackEventSchema>;
export type DisconnectedEvent = z.infer<typeof DisconnectedEventSchema>;
export type UnknownEvent = z.infer<typeof UnknownEventSchema>;
/** `WecomEvent['event']`, discriminated on `eventtype`. */
export type WecomEventBody = WecomEvent['event'];

/**
 * TextMessage | ImageMessage | MixedMessage | VoiceMessage | FileMessage | VideoMessage |
 * StreamRefresh | WecomEvent | Unsupported — discriminated on `msgtype`.
 */
export type WecomInbound = z.infer<typeof WecomInboundSchema>;
export type UserMessage = TextMessage | ImageMessage | MixedMessage | VoiceMessage | FileMessage | VideoMessage;

/**
 * Thrown for anything we cannot trust. `issues` holds field paths only ("text.content",
 * "(root)"): payloads carry user text, so neither values nor zod/JSON messages (which may quote
 * the input) end up in the message, and no `cause` is attached.
 */
export class InboundParseError extends Error {
  readonly code = 'PAYLOAD_INVALID';
  readonly issues: string[];

  constructor(reason: string, issues: string[]) {
    super(`WeCom inbound: ${reason} at ${issues.join(', ')}`);
    this.name = 'InboundParseError';
    this.issues = issues;
  }
}

const ROOT_PATH = '(root)';
// §13: classic self-built-app callbacks decrypt to XML; first non-space char is '<'.
const XML_PLAINTEXT = /^\s*</;
const CLASSIC_XML: Unsupported = { msgtype: 'unsupported', name: 'classic-xml' };

export function parseInbound(plaintext: string): WecomInbound {
  // We don't answer classic app messages (§13), so no XML parsing here.
  if (XML_PLAINTEXT.test(plaintext)) return { ...CLASSIC_XML };
  return parseInboundValue(parseJson(plaintext));
}

/**
 * The same parser for a body that arrives already as JSON: a long-connection frame's `body` (§12)
 * carries the callback JSON of §5 unencrypted.
 */
export function parseInboundValue(value: unknown): WecomInbound {
  const result = WecomInboundSchema.safeParse(value);
  if (result.success) return result.data;
  throw new InboundParseError('payload does not match the expected shape', issuePaths(result.error.issues));
}

const USER_MSGTYPES: ReadonlySet<WecomInbound['msgtype']> = new Set<UserMessage['msgtype']>([
  'text',
  'image',
  'mixed',
  'voice',
  'file',
  'video',
]);

/** The messages a user typed (§6: they are answered with a stream), as opposed to polls/events. */
export function isUserMessage(m: WecomInbound): m is UserMessage {
  return USER_MSGTYPES.has(m.msgtype);
}

function parseJson(plaintext: string): unknown {
  try {
    return JSON.parse(plaintext) as unknown;
  } catch {
    // The SyntaxError's message can quote a slice of the plaintext, so it is dropped.
    throw new InboundParseError('plaintext is not valid JSON', [ROOT_PATH]);
  }
}

function issuePaths(issues: readonly z.core.$ZodIssue[]): string[] {
  const paths = issues.map((issue) => (issue.path.length > 0 ? issue.path.map(String).join('.') : ROOT_PATH));
  return [...new Set(paths)];
}
