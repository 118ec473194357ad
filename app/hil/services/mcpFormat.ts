import { z } from 'zod';

/**
 * The remote MCP endpoint's tools as data (issue #15 scope 2): their arguments and results, zod shapes
 * the SDK publishes as inputSchema/outputSchema and validates. `send_and_wait_reply` and
 * `send_message_only` answer in hil-mcp's result shape (hil.md §4.2, §4.4: `replies[]` of `Reply`);
 * `request_approval` and `request_information` in GoHumanLoop's terms (§7.5).
 */

/** hil-mcp waits 1200 s by default (§4.5); a tool call never waits more than a day. */
export const DEFAULT_WAIT_SECONDS = 1200;
export const MAX_WAIT_SECONDS = 86_400;

const chatId = z
  .string()
  .max(256)
  .optional()
  .describe(
    'The WeCom chat: a group chatid or a userid (single chat), optionally `single:`/`group:` prefixed and ' +
      "`<bot>/` prefixed as `/chatid` prints it. Omitted: the API key's defaultChat.",
  );
const timeoutSeconds = z
  .number()
  .positive()
  .optional()
  .describe(
    `How long to wait for the person, in seconds (default ${DEFAULT_WAIT_SECONDS}, at most ${MAX_WAIT_SECONDS}).`,
  );
const projectName = z
  .string()
  .max(100)
  .optional()
  .describe('Shown in the header of the message, e.g. `[#3f2a9c1b my-project]`.');
/** WeCom takes 20480 bytes of markdown (wecom-aibot-protocol.md §9): 6000 characters fit with room for the header. */
const text = (what: string) => z.string().min(1).max(6000).describe(what);

export const waitReplyInput = {
  message: text('The message or question shown to the person (markdown).'),
  chat_id: chatId,
  project_name: projectName,
  timeout_seconds: timeoutSeconds,
};
export const messageInput = {
  message: text('The message shown to the person (markdown).'),
  chat_id: chatId,
  project_name: projectName,
};
export const approvalInput = {
  question: text('What the person approves or rejects.'),
  context: z.string().max(6000).optional().describe('Details shown below the question.'),
  approvers: z
    .array(z.string().min(1).max(64))
    .max(20)
    .optional()
    .describe("WeCom userids whose decision counts; omitted: the single chat's user, or anyone in the group."),
  chat_id: chatId,
  timeout_seconds: timeoutSeconds,
};
export const informationInput = {
  question: text('The question the person answers.'),
  chat_id: chatId,
  timeout_seconds: timeoutSeconds,
};

const reply = z.object({
  msg_type: z.literal('text'),
  content: z.string(),
  image_url: z.string().nullable(),
  from_user: z.object({ userid: z.string(), name: z.string(), alias: z.string() }),
  timestamp: z.string(),
});
export const waitReplyOutput = {
  status: z.enum(['success', 'timeout', 'error']),
  replies: z.array(reply),
  message: z.string(),
};
export const messageOutput = { status: z.enum(['success', 'error']), message: z.string() };
export const approvalOutput = {
  status: z.enum(['approved', 'rejected', 'expired', 'cancelled']),
  reason: z.string().nullable(),
  responded_by: z.string().nullable(),
};
export const informationOutput = {
  status: z.enum(['completed', 'expired', 'cancelled']),
  answer: z.string().nullable(),
  responded_by: z.string().nullable(),
};

/** The parsed value of a tool's argument or result shape. */
type Of<S extends z.ZodRawShape> = z.infer<z.ZodObject<S>>;
export type WaitReplyArgs = Of<typeof waitReplyInput>;
export type MessageArgs = Of<typeof messageInput>;
export type ApprovalArgs = Of<typeof approvalInput>;
export type InformationArgs = Of<typeof informationInput>;
export type WaitReplyResult = Of<typeof waitReplyOutput>;
export type MessageResult = Of<typeof messageOutput>;
export type ApprovalResult = Of<typeof approvalOutput>;
export type InformationResult = Of<typeof informationOutput>;
