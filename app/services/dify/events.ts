import { z } from 'zod';
import { type HumanInputForm, parseHumanInputForm } from './humanInputForm';

/**
 * Envelope ids (dify-api.md §4.2). All optional: which ones appear depends on the app family,
 * and `error` has no `task_id` (§5.3).
 */
export interface DifyEnvelope {
  conversationId?: string;
  messageId?: string;
  taskId?: string;
  workflowRunId?: string;
}

/** The payload part of each event we act on (dify-api.md §4.3), in camelCase. */
export type DifyEventBody =
  | { event: 'message'; answer: string }
  | { event: 'agent_message'; answer: string }
  | { event: 'message_replace'; answer: string }
  | { event: 'agent_thought'; id?: string; thought?: string; tool?: string; observation?: string }
  | { event: 'message_file'; id?: string; fileType?: string; url?: string; belongsTo?: string; answer?: string }
  | { event: 'message_end' }
  | { event: 'workflow_started' }
  | {
      event: 'workflow_finished';
      status: string;
      outputs: Record<string, unknown> | null;
      error: string | null;
    }
  | { event: 'progress'; name: string }
  | { event: 'text_chunk'; text: string }
  | { event: 'text_replace'; text: string }
  | { event: 'reasoning_chunk'; reasoning: string }
  | { event: 'error'; status?: number; code: string; message: string }
  | { event: 'paused' }
  | { event: 'human_input_required'; form: HumanInputForm }
  | { event: 'form_timeout' }
  | { event: 'ping' }
  | { event: 'unknown'; name: string };

export type DifyEvent = DifyEventBody & DifyEnvelope;
export type DifyEventName = DifyEvent['event'];
export type DifyEventOf<K extends DifyEventName> = Extract<DifyEvent, { event: K }>;

/** Absent, null or wrongly typed optional text reads as "not there": field sets vary by version (§4.3). */
const optText = z
  .string()
  .nullish()
  .catch(undefined)
  .transform((v) => v ?? undefined);
/** Same, and an empty string is "not there" too (e.g. completion apps have no conversation, §4.2). */
const optId = z
  .string()
  .nullish()
  .catch(undefined)
  .transform((v) => (v ? v : undefined));

const envelopeSchema = z.object({
  conversation_id: optId,
  message_id: optId,
  task_id: optId,
  workflow_run_id: optId,
});
const answerSchema = z.object({ answer: z.string() });
const textSchema = z.object({ data: z.object({ text: z.string() }) });
const thoughtSchema = z.object({ id: optText, thought: optText, tool: optText, observation: optText });
const fileSchema = z.object({ id: optId, type: optId, url: optId, belongs_to: optId, answer: optText });
/** `is_final` chunks may carry `reasoning: ""` (§4.3); null/absent is read the same way. */
const reasoningSchema = z.object({
  data: z.object({
    reasoning: z
      .string()
      .nullish()
      .catch(undefined)
      .transform((v) => v ?? ''),
  }),
});
const workflowFinishedSchema = z.object({
  data: z.object({
    status: z.string(),
    outputs: z
      .record(z.string(), z.unknown())
      .nullish()
      .catch(null)
      .transform((v) => v ?? null),
    error: z
      .string()
      .nullish()
      .catch(null)
      .transform((v) => v ?? null),
  }),
});
/**
 * Lenient on purpose: an `error` event ends the stream (§5.3), so losing it to a shape
 * mismatch would turn a clear failure into a silent truncation.
 */
const errorSchema = z.object({
  status: z.number().int().optional().catch(undefined),
  code: z.string().catch('unknown'),
  message: z.string().catch(''),
});

/** Node/iteration/loop/branch/agent-log events are progress only (§4.3). */
const PROGRESS_EVENTS: ReadonlySet<string> = new Set([
  'node_started',
  'node_finished',
  'node_retry',
  'iteration_started',
  'iteration_next',
  'iteration_completed',
  'loop_started',
  'loop_next',
  'loop_completed',
  'parallel_branch_started',
  'parallel_branch_finished',
  'agent_log',
  // A resumed stream's first event (docs/dify-human-input.md §5): the answer that follows is what counts.
  'human_input_form_filled',
]);

type BodyParser = (raw: Record<string, unknown>) => DifyEventBody | null;

function parseWith<S extends z.ZodType>(schema: S, build: (v: z.output<S>) => DifyEventBody): BodyParser {
  return (raw) => {
    const r = schema.safeParse(raw);
    return r.success ? build(r.data) : null;
  };
}

const BODY_PARSERS: Readonly<Record<string, BodyParser>> = {
  message: parseWith(answerSchema, (v) => ({ event: 'message', answer: v.answer })),
  agent_message: parseWith(answerSchema, (v) => ({ event: 'agent_message', answer: v.answer })),
  message_replace: parseWith(answerSchema, (v) => ({ event: 'message_replace', answer: v.answer })),
  agent_thought: parseWith(thoughtSchema, (v) => ({ event: 'agent_thought', ...defined(v) })),
  message_file: parseWith(fileSchema, (v) =>
    defined({
      event: 'message_file' as const,
      id: v.id,
      fileType: v.type,
      url: v.url,
      belongsTo: v.belongs_to,
      answer: v.answer,
    }),
  ),
  message_end: () => ({ event: 'message_end' }),
  workflow_started: () => ({ event: 'workflow_started' }),
  workflow_finished: parseWith(workflowFinishedSchema, (v) => ({ event: 'workflow_finished', ...v.data })),
  text_chunk: parseWith(textSchema, (v) => ({ event: 'text_chunk', text: v.data.text })),
  text_replace: parseWith(textSchema, (v) => ({ event: 'text_replace', text: v.data.text })),
  reasoning_chunk: parseWith(reasoningSchema, (v) => ({ event: 'reasoning_chunk', reasoning: v.data.reasoning })),
  error: parseWith(errorSchema, (v) => ({ event: 'error', ...defined(v) })),
  ping: () => ({ event: 'ping' }),
  // The run waits at a Human Input node (docs/dify-human-input.md §2); `workflow_paused` follows and ends
  // the stream. A form we cannot read still pauses the run.
  human_input_required: (raw) => {
    const form = parseHumanInputForm(raw['data']);
    return form === undefined ? { event: 'paused' } : { event: 'human_input_required', form };
  },
  workflow_paused: () => ({ event: 'paused' }),
  human_input_form_timeout: () => ({ event: 'form_timeout' }),
};

function parseBody(name: string, raw: Record<string, unknown>): DifyEventBody {
  if (PROGRESS_EVENTS.has(name)) return { event: 'progress', name };
  const parser = Object.hasOwn(BODY_PARSERS, name) ? BODY_PARSERS[name] : undefined;
  // Forward compatibility (§4.3): unknown names and known names with a bad shape are ignorable.
  return parser?.(raw) ?? { event: 'unknown', name };
}

/** Drops keys whose value is undefined so events compare cleanly and spread without noise. */
function defined<T extends object>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out as T;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parses the `data:` payload of one SSE event (dify-api.md §4.1: one JSON object per event,
 * compact UTF-8 or legacy spaced `\u` style — JSON.parse handles both).
 * Returns null for malformed JSON or a non-object; never throws.
 */
export function parseDifyEvent(data: string): DifyEvent | null {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isRecord(raw)) return null;
  const name = typeof raw['event'] === 'string' ? raw['event'] : '';
  // Every envelope field has a `.catch`, so this cannot fail; safeParse keeps "never throws" obvious.
  const parsed = envelopeSchema.safeParse(raw);
  const env: Partial<z.output<typeof envelopeSchema>> = parsed.success ? parsed.data : {};
  const envelope: DifyEnvelope = defined({
    conversationId: env.conversation_id,
    messageId: env.message_id,
    taskId: env.task_id,
    workflowRunId: env.workflow_run_id,
  });
  return { ...parseBody(name, raw), ...envelope };
}
