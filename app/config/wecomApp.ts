import { decodeEncodingAesKey, isValidEncodingAesKey } from '../crypto/aesKey';
import { type Env, type Problems, hideSecret, normalizeBaseUrl, readEnum, readInt, readString } from './readers';

/**
 * A self-built app (企业微信自建应用) and the formal approvals (审批) it files for people-in-the-loop
 * requests (issue #16, hil.md §3.2: gohumanloop-wework's configuration). `secret`, `token` and `aesKey`
 * are non-enumerable: logging or serialising the config never prints them.
 */
export interface WecomAppConfig {
  readonly corpId: string;
  readonly agentId: number;
  /** The app's Secret (corpsecret of /cgi-bin/gettoken). */
  readonly secret: string;
  /** API 接收消息: Token and the key decoded from its EncodingAESKey (receiveid = corp id, protocol §13). */
  readonly token: string;
  readonly aesKey: Buffer;
  /** https://qyapi.weixin.qq.com, no trailing slash (tests point it at a local fake). */
  readonly apiBaseUrl: string;
  /** Who files the approvals (applyevent's creator_userid). */
  readonly creatorUserid: string;
  /** The approver when a request names none in metadata.approverid. */
  readonly defaultApprover: string;
  /** The 审批 templates of approval and information requests. */
  readonly approvalTemplateId: string;
  readonly infoTemplateId: string;
}

export const APPROVAL_BACKENDS = ['chat', 'oa'] as const;
export type ApprovalBackend = (typeof APPROVAL_BACKENDS)[number];

export interface ApprovalsConfig {
  /** Where a request goes when its metadata.backend names none: the bot chat, or a WeCom approval. */
  readonly backend: ApprovalBackend;
  /** How often open approvals are read back from WeCom (a missed callback heals). */
  readonly pollMs: number;
  /** Undefined when no self-built app is configured: then nothing can go to `oa`. */
  readonly app: WecomAppConfig | undefined;
}

const REQUIRED = [
  'WECOM_CORP_ID',
  'WECOM_APP_AGENT_ID',
  'WECOM_APP_SECRET',
  'WECOM_APP_TOKEN',
  'WECOM_APP_ENCODING_AES_KEY',
  'WECOM_APPROVAL_CREATOR_USERID',
  'WECOM_APPROVAL_DEFAULT_APPROVER',
  'WECOM_APPROVAL_TEMPLATE_ID',
  'WECOM_INFO_TEMPLATE_ID',
] as const;

/** All of the app's variables or none: half an app would fail at the first approval, not at start. */
function readApp(env: Env, problems: Problems): WecomAppConfig | undefined {
  const given = REQUIRED.filter((name) => readString(env, name) !== undefined);
  if (given.length === 0) return undefined;
  const missing = REQUIRED.filter((name) => readString(env, name) === undefined);
  if (missing.length > 0) {
    problems.add(`the WeCom self-built app needs every one of its variables; missing: ${missing.join(', ')}`);
    return undefined;
  }
  const value = (name: (typeof REQUIRED)[number]): string => readString(env, name) as string;
  const key = value('WECOM_APP_ENCODING_AES_KEY');
  if (!isValidEncodingAesKey(key)) {
    problems.add(`WECOM_APP_ENCODING_AES_KEY must be 43 characters of [A-Za-z0-9] (got ${key.length} characters)`);
    return undefined;
  }
  if (!/^\d{1,10}$/.test(value('WECOM_APP_AGENT_ID'))) problems.add('WECOM_APP_AGENT_ID must be a number');
  const apiBaseUrl = normalizeBaseUrl(
    readString(env, 'WECOM_API_BASE_URL') ?? 'https://qyapi.weixin.qq.com',
    'WECOM_API_BASE_URL',
    problems,
  );
  const app = {
    corpId: value('WECOM_CORP_ID'),
    agentId: Number(value('WECOM_APP_AGENT_ID')),
    apiBaseUrl: apiBaseUrl ?? '',
    creatorUserid: value('WECOM_APPROVAL_CREATOR_USERID'),
    defaultApprover: value('WECOM_APPROVAL_DEFAULT_APPROVER'),
    approvalTemplateId: value('WECOM_APPROVAL_TEMPLATE_ID'),
    infoTemplateId: value('WECOM_INFO_TEMPLATE_ID'),
  };
  hideSecret(app, 'secret', value('WECOM_APP_SECRET'));
  hideSecret(app, 'token', value('WECOM_APP_TOKEN'));
  hideSecret(app, 'aesKey', decodeEncodingAesKey(key));
  return app as WecomAppConfig;
}

export function readApprovals(env: Env, problems: Problems): ApprovalsConfig {
  const backend = readEnum(env, 'HIL_APPROVAL_BACKEND', APPROVAL_BACKENDS, 'chat', problems);
  const app = readApp(env, problems);
  // A half-configured app has its own problem above; no app at all is this one.
  if (backend === 'oa' && REQUIRED.every((name) => readString(env, name) === undefined))
    problems.add(
      'HIL_APPROVAL_BACKEND=oa needs the WeCom self-built app (WECOM_CORP_ID, WECOM_APP_* and WECOM_APPROVAL_*)',
    );
  return {
    backend,
    pollMs: readInt(env, 'WECOM_APPROVAL_POLL_SECONDS', 300, 1, 86400, problems) * 1000,
    app,
  };
}
