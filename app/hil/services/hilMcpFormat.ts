import { z } from 'zod';
import type { OutboxFailure } from '../../services/channel';
import type { HilReply, HilRequest } from '../store/hilRequests';

/**
 * The platform of every hil-mcp-style session, made through its HTTP API or the MCP tools, and the
 * owner of those made through the HTTP API (its path token names no API key; issue #15 scope 1).
 */
export const HIL_MCP = 'hil-mcp';

/**
 * hil-mcp's HIL-server wire format (hil.md §4.3, hil_server/handlers/api.py of hil-mcp 0.2.0; hil-clients.md
 * for what the Python and TypeScript clients really send): the one parser of its bodies and the answers its
 * clients read. Fields the clients add beyond the server's model (`user_id` from the Python client,
 * `bot_key` and `upstream` from the TypeScript `wecom-aibot` engine) are accepted; only `user_id` is read.
 */

const text = z.string().max(256);

/** The server's SendMessageRequest (pydantic: every optional field may also be null). */
export const SendBodySchema = z.looseObject({
  message: z.string().max(100_000),
  chat_id: text.nullish(),
  user_id: text.nullish(),
  /** The Python client always sends "group", whatever the id is: the chat's type is looked up instead. */
  chat_type: text.nullish(),
  images: z
    .array(z.string().max(16 * 1024 * 1024))
    .max(20)
    .nullish(),
  mention_list: z.array(text).max(100).nullish(),
  project_name: text.nullish(),
  /** Seconds; the Python server's `int`, a float is taken as it comes. */
  timeout: z.number().positive().finite().nullish(),
  wait_reply: z.boolean().nullish(),
});
export type SendBody = z.infer<typeof SendBodySchema>;

/** SendMessageResponse: `message` is always present, `error` only when it failed. */
export interface SendAnswer {
  readonly success: boolean;
  readonly session_id?: string;
  readonly message: string;
  readonly error?: string;
}

export type PollStatus = 'waiting' | 'replied' | 'timeout' | 'not_found';

/** The `Reply` dataclass of the HIL server (hil.md §4.3); only text replies are captured here. */
export interface ReplyObject {
  readonly msg_type: 'text';
  readonly content: string;
  readonly image_url: null;
  readonly from_user: { readonly userid: string; readonly name: string; readonly alias: string };
  readonly timestamp: string;
}

/** PollResponse. */
export interface PollAnswer {
  readonly session_id: string;
  readonly status: PollStatus;
  readonly has_reply: boolean;
  readonly replies: readonly ReplyObject[];
  readonly message: string;
}

/** The server's own words (api.py), which the MCP server passes on to the agent. */
export const HIL_MCP_MESSAGES = {
  sent: '消息发送成功',
  queued: '消息已排队，将在对方下次联系机器人时送达',
  noChat: '未指定 chat_id',
  notFound: '会话不存在或已过期',
} as const;

/** Why a send_message_only was not sent, for the agent (the outbox's reasons, services/channel.ts). */
const NOT_SENT: Readonly<Record<OutboxFailure, string>> = {
  unknown_bot: '未知的机器人',
  no_response_url: '机器人现在无法主动联系该会话：回调模式的机器人需要对方先给机器人发一条消息',
  card_needs_single_chat: '该会话不能接收卡片',
  not_connected: '机器人的长连接未连接',
  invalid_message: '消息内容无效或过长',
  refused: '企业微信拒绝了这条消息',
};

export function notSentMessage(reason: OutboxFailure): string {
  return `发送失败：${NOT_SENT[reason]}`;
}

export function replyObject(reply: Pick<HilReply, 'userid' | 'text' | 'at'>): ReplyObject {
  return {
    msg_type: 'text',
    content: reply.text,
    image_url: null,
    // WeCom gives the bot a userid only; the name is the userid, as in hil-mcp's own fallback.
    from_user: { userid: reply.userid, name: reply.userid, alias: '' },
    timestamp: new Date(reply.at).toISOString(),
  };
}

/**
 * A session's replies as hil-mcp's Reply objects (hil.md §4.3); an operator's answer in the admin API
 * records no reply, so its response stands in (the hil-mcp HTTP API and the MCP tools both answer so).
 */
export function sessionReplies(request: HilRequest, replies: readonly HilReply[]): ReplyObject[] {
  if (replies.length > 0) return replies.map(replyObject);
  const said = request.response?.['text'] ?? request.response?.['information'];
  const text = typeof said === 'string' ? said : JSON.stringify(request.response ?? {});
  return [replyObject({ userid: request.respondedBy ?? '', text, at: request.respondedAt ?? request.updatedAt })];
}

export function pollAnswer(sessionId: string, status: PollStatus, replies: readonly ReplyObject[] = []): PollAnswer {
  return {
    session_id: sessionId,
    status,
    has_reply: status === 'replied' && replies.length > 0,
    replies,
    message: status === 'not_found' ? HIL_MCP_MESSAGES.notFound : `会话状态: ${status}`,
  };
}

/** The images a send names: links WeCom markdown can show, and inline data URLs it cannot (§7.3, 20480 bytes). */
export function splitImages(images: readonly string[]): { readonly links: string[]; readonly inline: number } {
  const links = images.filter((url) => /^https?:\/\/\S+$/i.test(url) && url.length <= 2048);
  return { links, inline: images.filter((url) => /^data:/i.test(url)).length };
}
