import { z } from 'zod';

/**
 * The interactions API's wire format (hil.md §5.3, issue #15 scope 3): what an app posts for a Bridgic
 * `InteractionException` — its interactions (`Interaction {interaction_id, event: Event}`, §5.1), the
 * chat to ask in, the `Snapshot` as base64, and where to call back. The one parser of these bodies.
 */

/** A batch is one step's concurrent interactions (§5.2): a handful, never thousands. */
export const MAX_INTERACTIONS = 100;
/** The stored snapshot's cap (§5.3 "size cap, e.g. 10 MB"), decoded. */
export const MAX_SNAPSHOT_BYTES = 10 * 1024 * 1024;
/** base64 of MAX_SNAPSHOT_BYTES is 13,981,014 characters; the body parser allows that and the rest. */
export const INTERACTIONS_BODY_LIMIT = '14mb';

const text = (max: number) => z.string().trim().min(1).max(max);

const EventSchema = z.object({
  event_type: z.string().max(256).nullish(),
  /** Bridgic's datetime as pydantic writes it (ISO 8601); kept as given, never read. */
  timestamp: z.union([z.string().max(64), z.number()]).nullish(),
  data: z.unknown().optional(),
});
export type InteractionEvent = z.infer<typeof EventSchema>;

const InteractionSchema = z.object({ interaction_id: text(256), event: EventSchema });
export type Interaction = z.infer<typeof InteractionSchema>;

/** A chat in hil-mcp's flat form (hilChats.resolveChat), or the request metadata's fields (hilTargets). */
const TargetObjectSchema = z.object({
  chat_id: text(512).optional(),
  userid: text(256).optional(),
  chatid: text(256).optional(),
  chattype: z.enum(['single', 'group']).optional(),
  bot: text(128).optional(),
  approvers: z.union([text(1024), z.array(text(256)).max(50)]).optional(),
});
export type TargetObject = z.infer<typeof TargetObjectSchema>;

/** Standard base64 (Python's b64encode), padding optional; a strict check, Buffer.from would skip junk. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const SnapshotSchema = z.object({
  serialization_version: z.string().max(64),
  serialized_bytes_b64: z.string().regex(BASE64, 'must be base64'),
});

export const InteractionsBodySchema = z.object({
  interactions: z.array(InteractionSchema).min(1).max(MAX_INTERACTIONS),
  target: z.union([text(512), TargetObjectSchema]).nullish(),
  snapshot: SnapshotSchema.nullish(),
  callback_url: text(2048).nullish(),
  callback_secret: z.string().min(16).max(256).nullish(),
  expires_in: z
    .number()
    .int()
    .positive()
    .max(30 * 86400)
    .nullish(),
});
export type InteractionsBody = z.infer<typeof InteractionsBodySchema>;

/** `?timeout=` of the long-poll, in seconds: 60 when absent, at most 120 (below fetch's and proxies' limits). */
export const WaitQuerySchema = z.object({
  timeout: z.coerce.number().min(0).max(120).default(60),
});
