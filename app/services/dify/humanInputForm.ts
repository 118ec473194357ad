import { z } from 'zod';

/**
 * The form a chatflow/workflow paused at (Dify ≥ 1.13, docs/dify-human-input.md §2): the `data` of a
 * `human_input_required` event. Read leniently: every field but the token's presence may vary by version.
 */
export interface HumanInputForm {
  readonly formId: string | undefined;
  /** null when the node delivers by e-mail or console only: the Service API cannot answer it (§2). */
  readonly formToken: string | null;
  readonly nodeId: string | undefined;
  readonly nodeTitle: string;
  /** Markdown with the workflow's variables filled in. */
  readonly content: string;
  readonly inputs: readonly FormInput[];
  readonly actions: readonly FormAction[];
  /** Per input, the default Dify resolved (always strings, §3). */
  readonly defaults: Readonly<Record<string, string>>;
  /** ms since epoch; undefined when Dify sent none. */
  readonly expiresAt: number | undefined;
}

/** `paragraph` | `select` | `file` | `file-list` (§2); only paragraphs and selects can be answered in a chat. */
export interface FormInput {
  readonly type: string;
  readonly name: string;
  /** A select's constant options, when Dify sent them. */
  readonly options: readonly string[];
}

/** A button of the form; `id` is what the submit's `action` names (§3). */
export interface FormAction {
  readonly id: string;
  readonly title: string;
}

const text = z
  .string()
  .nullish()
  .catch(undefined)
  .transform((v) => v ?? undefined);

const inputSchema = z.object({
  type: z.string().catch('paragraph'),
  output_variable_name: z.string(),
  option_source: z
    .object({ value: z.array(z.string()).catch([]) })
    .nullish()
    .catch(undefined),
});

const actionSchema = z.object({ id: z.string().min(1), title: text });

/** Entries that do not parse are dropped one by one: a form with one odd field is still a form. */
function listOf<T extends z.ZodTypeAny>(item: T): z.ZodType<z.output<T>[]> {
  return z
    .array(z.unknown())
    .nullish()
    .catch(undefined)
    .transform((list) =>
      (list ?? []).flatMap((raw) => {
        const parsed = item.safeParse(raw);
        return parsed.success ? [parsed.data as z.output<T>] : [];
      }),
    );
}

const formSchema = z.object({
  form_id: text,
  form_token: z.string().min(1).nullish().catch(null),
  node_id: text,
  node_title: text,
  form_content: text,
  inputs: listOf(inputSchema),
  actions: listOf(actionSchema),
  resolved_default_values: z
    .record(z.string(), z.unknown())
    .nullish()
    .catch(undefined)
    .transform((v) => Object.fromEntries(Object.entries(v ?? {}).map(([k, val]) => [k, String(val ?? '')]))),
  expiration_time: z.number().finite().nullish().catch(undefined),
});

/** The form of a `human_input_required` event's `data`, or undefined when it is not one. */
export function parseHumanInputForm(data: unknown): HumanInputForm | undefined {
  const parsed = formSchema.safeParse(data);
  if (!parsed.success) return undefined;
  const v = parsed.data;
  return {
    formId: v.form_id,
    formToken: v.form_token ?? null,
    nodeId: v.node_id,
    nodeTitle: v.node_title ?? '',
    content: v.form_content ?? '',
    inputs: v.inputs.map((i) => ({
      type: i.type,
      name: i.output_variable_name,
      options: i.option_source?.value ?? [],
    })),
    actions: v.actions.map((a) => ({ id: a.id, title: a.title ?? a.id })),
    defaults: v.resolved_default_values,
    // Dify sends unix seconds (§2); a value already in ms would be far in the future, so both read right.
    expiresAt:
      v.expiration_time === null || v.expiration_time === undefined
        ? undefined
        : v.expiration_time > 1e12
          ? v.expiration_time
          : v.expiration_time * 1000,
  };
}
