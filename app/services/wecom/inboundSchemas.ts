import { z } from 'zod';

/**
 * Zod schemas for the decrypted JSON of WeCom AI-bot callbacks (wecom-aibot-protocol.md §5).
 * They are the source of truth: inbound.ts infers every public type from them.
 * z.object strips keys it does not declare: WeCom adds fields over time (so we stay lenient),
 * and nothing downstream ever sees the raw payload. Field names stay WeCom's own so that logs
 * and fixtures read like the docs.
 */

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Turns an object whose discriminator holds an unknown string into `{ [key]: tag, name }`, the
 * catch-all variant of the union it feeds. WeCom ships new types without notice (§5.7: `video`
 * arrived in a 2026 revision), and an unknown type must not become a parse error. Known types
 * pass through untouched, so their shapes stay strictly checked. `keep` copies string fields
 * that are still useful for logging/dedupe.
 */
function tagUnknown(key: string, known: ReadonlySet<string>, tag: string, keep: readonly string[] = []) {
  return (input: unknown): unknown => {
    if (!isRecord(input)) return input;
    const name = input[key];
    if (typeof name !== 'string' || known.has(name)) return input;
    const tagged: Record<string, unknown> = { [key]: tag, name };
    for (const k of keep) {
      if (typeof input[k] === 'string') tagged[k] = input[k];
    }
    return tagged;
  };
}

// ---- shared structs (§5.3–§5.7) -------------------------------------------------------------

export const TextBodySchema = z.object({ content: z.string() });

/** image/file/video: encrypted, 5-minute URL (§10); `aeskey` only in long-connection mode (§12). */
export const MediaSchema = z.object({ url: z.string().min(1), aeskey: z.string().optional() });

const textPart = { msgtype: z.literal('text'), text: TextBodySchema };
const imagePart = { msgtype: z.literal('image'), image: MediaSchema };

/** §5.5: msg_item[].msgtype ∈ text | image, in the order the user typed them. */
export const MixedItemSchema = z.discriminatedUnion('msgtype', [z.object(textPart), z.object(imagePart)]);
const MixedBodySchema = z.object({ msg_item: z.array(MixedItemSchema).min(1) });

/** Discriminator + body of each user-message type; shared by top-level messages and quotes (§5.8). */
const parts = {
  text: textPart,
  image: imagePart,
  mixed: { msgtype: z.literal('mixed'), mixed: MixedBodySchema },
  // §5.6: WeCom's speech-to-text result; there is no audio URL.
  voice: { msgtype: z.literal('voice'), voice: TextBodySchema },
  file: { msgtype: z.literal('file'), file: MediaSchema },
  video: { msgtype: z.literal('video'), video: MediaSchema },
};
const USER_MSGTYPES: ReadonlySet<string> = new Set(Object.keys(parts));

// ---- quote (§5.8) ---------------------------------------------------------------------------

/** Quoting content WeCom cannot describe must not drop the user's own message (§5.8). */
export const UnsupportedQuoteSchema = z.object({ msgtype: z.literal('unsupported'), name: z.string() });

export const QuoteSchema = z.preprocess(
  tagUnknown('msgtype', USER_MSGTYPES, 'unsupported'),
  z.discriminatedUnion('msgtype', [
    z.object(parts.text),
    z.object(parts.image),
    z.object(parts.mixed),
    z.object(parts.voice),
    z.object(parts.file),
    z.object(parts.video),
    UnsupportedQuoteSchema,
  ]),
);

// ---- common fields (§5.1) -------------------------------------------------------------------

const ChatTypeSchema = z.enum(['single', 'group']);

/** Seconds. Documented as a number; some senders stringify numbers, so digits-only strings pass. */
const CreateTimeSchema = z.union([
  z.number().int().nonnegative(),
  z
    .string()
    .regex(/^\d{1,15}$/)
    .transform(Number),
]);

const envelope = {
  // §5.1: msgid is the dedupe key for message callbacks; an empty one would collide.
  msgid: z.string().min(1),
  aibotid: z.string(),
  chattype: ChatTypeSchema,
  chatid: z.string().optional(),
  from: z.object({ userid: z.string().min(1), corpid: z.string().optional() }),
  create_time: CreateTimeSchema.optional(),
};
/** §5.1: response_url comes with user messages and template_card_event, never with stream refreshes. */
const replyable = { ...envelope, response_url: z.string().optional() };

// ---- user messages (§5.3–§5.7) --------------------------------------------------------------

// §5.8 documents quote on text/mixed only; accepting it everywhere costs nothing.
const quote = QuoteSchema.optional();
export const TextMessageSchema = z.object({ ...replyable, ...parts.text, quote });
export const ImageMessageSchema = z.object({ ...replyable, ...parts.image, quote });
export const MixedMessageSchema = z.object({ ...replyable, ...parts.mixed, quote });
export const VoiceMessageSchema = z.object({ ...replyable, ...parts.voice, quote });
export const FileMessageSchema = z.object({ ...replyable, ...parts.file, quote });
export const VideoMessageSchema = z.object({ ...replyable, ...parts.video, quote });

// ---- stream refresh (§5.9) ------------------------------------------------------------------

/** §5.9: `stream.id` is the id we chose in our first reply; refreshes are keyed by it. */
export const StreamRefreshSchema = z.object({
  ...envelope,
  msgtype: z.literal('stream'),
  stream: z.object({ id: z.string().min(1) }),
});

// ---- events (§5.10; disconnected_event: §12) ------------------------------------------------

export const EnterChatEventSchema = z.object({ eventtype: z.literal('enter_chat') });

/** §5.10: trust the JSON examples (card_type/event_key/option_ids), not the table's spellings. */
export const TemplateCardEventSchema = z.object({
  eventtype: z.literal('template_card_event'),
  template_card_event: z.object({
    card_type: z.string(),
    event_key: z.string(),
    task_id: z.string(),
    // Absent for top-right menu clicks (§5.10).
    selected_items: z
      .object({
        selected_item: z.array(
          z.object({ question_key: z.string(), option_ids: z.object({ option_id: z.array(z.string()) }) }),
        ),
      })
      .optional(),
  }),
});

/** §5.10: type 1 accurate, 2 inaccurate, 3 cancel; content and reasons only come with type 2. */
export const FeedbackEventSchema = z.object({
  eventtype: z.literal('feedback_event'),
  feedback_event: z.object({
    id: z.string(),
    type: z.literal([1, 2, 3]),
    content: z.string().optional(),
    inaccurate_reason_list: z.array(z.number()).optional(),
  }),
});

export const DisconnectedEventSchema = z.object({ eventtype: z.literal('disconnected_event') });
export const UnknownEventSchema = z.object({ eventtype: z.literal('unknown'), name: z.string() });

const KNOWN_EVENTS = [
  EnterChatEventSchema,
  TemplateCardEventSchema,
  FeedbackEventSchema,
  DisconnectedEventSchema,
] as const;

export const EventBodySchema = z.preprocess(
  tagUnknown('eventtype', new Set(KNOWN_EVENTS.map((s) => s.shape.eventtype.value)), 'unknown'),
  z.discriminatedUnion('eventtype', [...KNOWN_EVENTS, UnknownEventSchema]),
);

export const WecomEventSchema = z.object({
  ...replyable,
  // §5.1: chattype is only "usually" present on events; enter_chat is single-chat only.
  chattype: ChatTypeSchema.default('single'),
  msgtype: z.literal('event'),
  event: EventBodySchema,
});

// ---- top level ------------------------------------------------------------------------------

export const UnsupportedSchema = z.object({
  msgtype: z.literal('unsupported'),
  name: z.string(),
  msgid: z.string().optional(),
  aibotid: z.string().optional(),
});

const KNOWN_INBOUND = [
  TextMessageSchema,
  ImageMessageSchema,
  MixedMessageSchema,
  VoiceMessageSchema,
  FileMessageSchema,
  VideoMessageSchema,
  StreamRefreshSchema,
  WecomEventSchema,
] as const;

const KNOWN_MSGTYPES = new Set(KNOWN_INBOUND.map((s) => s.shape.msgtype.value));

/**
 * The whole decrypted callback. The discriminated union looks the schema up by `msgtype` and
 * runs only that one, so the ~1/s stream refresh polls (§5.9) validate just `StreamRefreshSchema`.
 */
export const WecomInboundSchema = z.preprocess(
  tagUnknown('msgtype', KNOWN_MSGTYPES, 'unsupported', ['msgid', 'aibotid']),
  z.discriminatedUnion('msgtype', [...KNOWN_INBOUND, UnsupportedSchema]),
);
