/**
 * Every sentence a WeCom user can see from the gateway itself, in one place (Chinese by default, each overridable by env).
 * Chinese by default; each is overridable by an env variable named `TEXT_<KEY>` (e.g. `TEXT_THINKING`).
 */
export const DEFAULT_TEXTS = {
  /** First stream reply, shown until the agent's first token arrives. */
  THINKING: '正在思考中...',
  /** No Dify agent is configured for this bot. */
  AGENT_NOT_CONFIGURED: '抱歉，这个机器人还没有接入智能体，请联系管理员。',
  /** Dify unreachable, 5xx, or the connection failed before any answer. */
  AGENT_UNAVAILABLE: '抱歉，智能体服务暂时不可用，请稍后再试。',
  /** Dify rejected the request for a reason only an admin can fix (key, app, model, quota). */
  AGENT_MISCONFIGURED: '抱歉，智能体配置有误，暂时无法回答，请联系管理员。',
  /** Dify kept answering 429 after our retries. */
  AGENT_BUSY: '当前提问的人较多，请稍后再试。',
  /** No byte from Dify for too long, or the overall limit was reached. */
  TIMEOUT: '抱歉，智能体响应超时，请稍后再试。',
  /** The stream broke off after part of the answer. */
  INTERRUPTED: '（回答中断，内容可能不完整，请稍后重试。）',
  /** Dify reported an error while answering. */
  ANSWER_FAILED: '抱歉，生成回答时出错，请稍后再试。',
  /** Dify finished without any text. */
  EMPTY_ANSWER: '抱歉，智能体没有给出回答，请换个问法再试。',
  /** The app paused for human input, which WeCom cannot provide here. */
  NEEDS_INPUT: '抱歉，该智能体需要填写表单才能继续，当前对话暂不支持。',
  /** Appended when the 6-minute stream window closes before the answer is ready. */
  STILL_WORKING: '⏳ 回答仍在生成中，完成后会另行发送给你。',
  /** The gateway shut down before the answer was complete. */
  SERVICE_RESTARTING: '（服务正在重启，回答中断，请稍后重新发送。）',
  /** The instance running the answer stopped (crash, kill); another instance finishes the stream. */
  OWNER_LOST: '（处理这条消息的服务中断了，请重新发送。）',
  /** The agent's access rules do not include this user or chat. */
  ACCESS_DENIED: '抱歉，你暂时没有使用这个智能体的权限，如需开通请联系管理员。',
  /** The user sent more messages per minute than USER_MESSAGES_PER_MINUTE allows. */
  RATE_LIMITED: '消息有点多，请稍等一分钟再发。',
  /** The user already has USER_CONCURRENT_TURNS answers being generated. */
  TOO_MANY_RUNNING: '前面的问题还在回答中，请等回答完成后再提问。',
  /** Title of the card of follow-up questions shown after an answer. */
  SUGGESTIONS_TITLE: '你可能还想问',
  /** Title of the welcome card when the Dify app has no opening statement. */
  WELCOME_CARD_TITLE: '你好，可以这样问我：',
  /** A clicked question card turns into this title followed by the question. */
  CARD_QUESTION_ASKED: '正在回答：',
  /** The single (inactive) button of a clicked question card. */
  CARD_QUESTION_BUTTON_DONE: '已提问',
  /** Confirms a new-conversation command ("/new", "新对话"). */
  NEW_CONVERSATION_STARTED: '好的，已开始新的对话，之前的上下文不再保留。',
  /** A poll for a stream we no longer know (expired or restarted). */
  STREAM_EXPIRED: '该消息已过期，请重新发送。',
  /** Appended when the final answer does not fit WeCom's 20480-byte limit. */
  TRUNCATED: '（回答过长，后面的内容已省略。）',
  /** The user sent an empty text (e.g. only the @-mention). */
  EMPTY_QUESTION: '请在 @ 我之后输入你的问题。',
  /** An attachment could not be downloaded, decrypted or uploaded; {name} is e.g. "第2张图片". */
  ATTACHMENT_FAILED: '（{name}未能读取，已按其余内容回答。）',
  /** The Dify app does not take this kind of file; {name} as above. */
  ATTACHMENT_NOT_ACCEPTED: '（当前智能体不接收{name}，已按其余内容回答。）',
  /** Replaces an image of the answer that could not be fetched or converted. */
  IMAGE_FAILED: '（图片无法显示）',
  /** The text of an answer that consists of images only. */
  IMAGES_ONLY: '请查看图片：',
  /** The answer went to response_url after the window, where images cannot be attached. */
  IMAGES_NOT_DELIVERED: '（回答中的图片无法在这条消息中显示。）',
  /** Sent to the agent (not the user) when a message holds only images or files. */
  QUERY_ATTACHMENTS_ONLY: '请查看以上内容。',
  /** Sent to the agent before a quoted message. */
  QUERY_QUOTE_INTRO: '以下是我引用的消息：',
  /** People in the loop (issue #13): the approval card's source line, title and buttons. */
  HIL_CARD_SOURCE: '审批请求',
  HIL_CARD_TITLE: '需要你的审批',
  HIL_BUTTON_APPROVE: '批准',
  HIL_BUTTON_REJECT: '拒绝',
  HIL_BUTTON_COMMENT: '填写意见',
  /** The single button of a card that was answered, expired or cancelled. */
  HIL_BUTTON_DONE: '已处理',
  /** Titles of a card after its request ended; {userid} answered. */
  HIL_APPROVED_BY: '已批准 ✅ 由 {userid}',
  HIL_REJECTED_BY: '已拒绝 ❌ 由 {userid}',
  HIL_EXPIRED: '已过期',
  HIL_CANCELLED: '已取消',
  HIL_CLOSED: '已处理',
  /** Shown only to a clicker who is not an approver of the request. */
  HIL_NO_PERMISSION: '无权限：你不是这条请求的审批人',
  /** Ends an information or conversation request's message (hil-mcp's convention). */
  HIL_QUOTE_HINT: '> 请引用回复此消息',
  /** Ends an approval sent as markdown, where a card cannot go; {id} is the short id. */
  HIL_APPROVAL_HINT: '> 请引用回复“同意 理由”或“拒绝 理由”，或发送 /approve {id}、/reject {id}',
  /** Ends a conversation turn's message. */
  HIL_CONVERSATION_HINT: '> 请引用回复此消息；回复“结束对话”结束',
  /** The word (and card button) that ends a conversation. */
  HIL_END_CONVERSATION: '结束对话',
  /** After 填写意见: what the person's next message is taken for. */
  HIL_COMMENT_PROMPT: '请在 10 分钟内直接发送你的意见，再点击 批准 或 拒绝；也可以发送“同意 理由”或“拒绝 理由”。',
  /** Title of the card (for the clicker only) after 填写意见. */
  HIL_COMMENT_TITLE: '请直接发送你的意见（10 分钟内）',
  HIL_COMMENT_SAVED: '已记录你的意见，请点击卡片上的 批准 或 拒绝。',
  /** Answers to a person's reply; {id} is the short id, {task} the task. */
  HIL_APPROVED: '已批准 [#{id}] ✅',
  HIL_REJECTED: '已拒绝 [#{id}] ❌',
  HIL_ANSWER_RECORDED: '已收到你的回复 [#{id}] ✅',
  HIL_CONVERSATION_ENDED: '对话已结束 [#{id}] ✅',
  HIL_NEEDS_DECISION: '[#{id}] 是审批请求，请以“同意”或“拒绝”开头回复，例如：同意 没问题',
  HIL_NOT_OPEN: '[#{id}] {state}，无需再回复。',
  HIL_UNKNOWN_ID: '没有找到编号为 {id} 的请求。',
  /** A click on the card of a request this gateway does not know (any more). */
  HIL_CARD_UNKNOWN: '该请求不存在或已失效',
  HIL_NOT_YOURS: '[#{id}] 不需要你来回复。',
  /** Several requests wait in the chat and the reply names none of them (hil-mcp's hint); {list} one per line. */
  HIL_WHICH_ONE: '当前有多个等待回复的请求，请引用回复对应的消息，或以 #编号 开头回复：\n{list}',
  /** The /pending (待办) command. */
  HIL_PENDING_LIST:
    '待处理的请求：\n{list}\n\n回复方式：引用回复对应消息，或发送 /approve 编号 [理由]、/reject 编号 [理由]、#编号 内容',
  HIL_NOTHING_PENDING: '当前没有待处理的请求。',
  /** Posted to the chat when an operator answered in the admin API; {result} e.g. 已批准. */
  HIL_OPERATOR_ANSWERED: '[#{id} {task}] 已由 {by} 处理：{result}',
  HIL_RESULT_COMPLETED: '已回复',
  /** The /chatid command: the id to give hil-mcp's `--chat-id` (or a request's chat_id) for this chat. */
  HIL_CHAT_ID: '当前会话的 chat_id：{chat_id}\n在 hil-mcp 中使用：--chat-id {chat_id}',
  /** An image a hil-mcp message links to; {n} counts from 1. */
  HIL_IMAGE_LINK: '[图片{n}]({url})',
  /** Images sent inline (data: URLs) that a WeCom markdown message cannot carry. */
  HIL_IMAGES_NOT_SHOWN: '（另有 {count} 张图片无法在企业微信消息中显示）',
  /** Said in the chat a request named when it went to WeCom's 审批 app instead (issue #16); {sp_no} 审批单号. */
  HIL_OA_FILED: '已提交审批 {sp_no}',
  /** After the answer so far, when a Dify Human Input form goes to the chat (issue #15 scope 4). */
  HIL_FORM_WAITING: '⏸ 需要你的确认才能继续，请查看下一条消息。',
  /** A per-action card's state once a button was chosen. */
  HIL_ACTION_BY: '已选择「{action}」✅ 由 {userid}',
  /** Under a Dify form sent as markdown: how to answer it. {actions}: the action names. */
  HIL_FORM_ACTIONS_HINT: '> 请引用回复此消息，以操作名开头（{actions}），后面写上要填写的内容',
  HIL_FORM_CHOICE_HINT: '> 请引用回复此消息，回复其中一个操作名：{actions}',
  HIL_FORM_EXPIRED: '[#{id} {task}] 表单已过期，流程未能继续。如需继续，请重新发起对话。',
  HIL_FORM_FAILED: '[#{id} {task}] 表单未能提交给智能体，流程未能继续，请稍后重新发起对话。',
  /** The resumed run gave no text. */
  HIL_FORM_NO_ANSWER: '[#{id} {task}] 已提交，流程已继续。',
} as const;

export type TextKey = keyof typeof DEFAULT_TEXTS;
export type Texts = Readonly<Record<TextKey, string>>;

/** Applies `TEXT_<KEY>` overrides; an empty override is ignored so a typo cannot blank a notice. */
export function loadTexts(env: Readonly<Record<string, string | undefined>>): Texts {
  const texts: Record<string, string> = {};
  for (const key of Object.keys(DEFAULT_TEXTS) as TextKey[]) {
    const override = env[`TEXT_${key}`];
    texts[key] = override !== undefined && override.trim() !== '' ? override : DEFAULT_TEXTS[key];
  }
  return Object.freeze(texts) as Texts;
}
