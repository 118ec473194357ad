import { type AccessRules, accessFromEnv, accessFromJson } from './access';
import { type Env, type Problems, hideSecret, normalizeBaseUrl, readJsonObject, readString } from './readers';

/** Dify app modes as `GET /info` reports them (dify-api.md TL;DR 1, §1.2; `agent` is the 2026 beta "New Agent"): the mode decides the endpoint and how the stream is read. */
export const DIFY_APP_MODES = ['chat', 'agent-chat', 'advanced-chat', 'agent', 'workflow', 'completion'] as const;
export type DifyAppMode = (typeof DIFY_APP_MODES)[number];

export const DEFAULT_AGENT_ID = 'default';

/** One Dify app. `apiKey` is non-enumerable so logging or serialising the config never prints it. */
export interface AgentConfig {
  readonly id: string;
  /** The Service API base, e.g. `https://dify.example.com/v1`, without a trailing slash. */
  readonly baseUrl: string;
  readonly apiKey: string;
  /** When absent the mode is read once from `GET /info`. */
  readonly mode: DifyAppMode | undefined;
  /** Sent as `inputs` (chat apps use them only when a conversation starts, dify-api.md §2). */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Workflow/completion apps get the question in this input variable. */
  readonly queryVariable: string;
  /** Workflow apps: which output holds the answer when no text was streamed. */
  readonly outputKey: string | undefined;
  /** Workflow apps: the file-list input variable that receives the user's images and files. */
  readonly fileVariable: string | undefined;
  /** Prefix of relative `/files/...` URLs in answers (dify-api.md §4.7): DIFY_FILES_BASE_URL, else baseUrl without `/v1`. */
  readonly filesBaseUrl: string;
  readonly access: AccessRules;
  /** After an answer, show Dify's follow-up questions as a card whose buttons ask them (dify-api.md §6.8). */
  readonly suggestions: boolean;
  /**
   * A chatflow/workflow that pauses at a Human Input node shows its form in the chat and resumes when it is
   * answered there (issue #15 scope 4); off: the answer ends with a notice, as before. Default on.
   */
  readonly formsInChat: boolean;
}

export interface AgentsConfig {
  readonly byId: ReadonlyMap<string, AgentConfig>;
  /** WECOM_AIBOT_AGENT_MAPPING: aibotid → agent id; unmapped bots use `default`. */
  readonly mapping: ReadonlyMap<string, string>;
}

interface AgentFields {
  baseUrl?: unknown;
  apiKey?: unknown;
  mode?: unknown;
  inputs?: unknown;
  queryVariable?: unknown;
  outputKey?: unknown;
  fileVariable?: unknown;
  filesBaseUrl?: unknown;
  access?: unknown;
  suggestions?: unknown;
  formsInChat?: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readAgent(
  id: string,
  label: string,
  fields: AgentFields,
  problems: Problems,
  envAccess?: AccessRules,
): AgentConfig | undefined {
  const before = problems.list.length;
  const baseUrl =
    typeof fields.baseUrl === 'string' ? normalizeBaseUrl(fields.baseUrl, `${label} baseUrl`, problems) : undefined;
  if (typeof fields.baseUrl !== 'string') problems.add(`${label}: baseUrl is required`);
  if (typeof fields.apiKey !== 'string' || fields.apiKey.trim() === '') problems.add(`${label}: apiKey is required`);
  const mode = fields.mode;
  if (mode !== undefined && !(DIFY_APP_MODES as readonly unknown[]).includes(mode)) {
    problems.add(`${label}: mode must be one of ${DIFY_APP_MODES.join(', ')}`);
  }
  if (fields.inputs !== undefined && !isPlainObject(fields.inputs)) problems.add(`${label}: inputs must be an object`);
  if (fields.queryVariable !== undefined && typeof fields.queryVariable !== 'string')
    problems.add(`${label}: queryVariable must be a string`);
  if (fields.outputKey !== undefined && typeof fields.outputKey !== 'string')
    problems.add(`${label}: outputKey must be a string`);
  if (fields.fileVariable !== undefined && typeof fields.fileVariable !== 'string')
    problems.add(`${label}: fileVariable must be a string`);
  if (fields.suggestions !== undefined && typeof fields.suggestions !== 'boolean')
    problems.add(`${label}: suggestions must be true or false`);
  if (fields.formsInChat !== undefined && typeof fields.formsInChat !== 'boolean')
    problems.add(`${label}: formsInChat must be true or false`);
  const filesBase =
    typeof fields.filesBaseUrl === 'string'
      ? normalizeBaseUrl(fields.filesBaseUrl, `${label} filesBaseUrl`, problems)
      : undefined;
  if (fields.filesBaseUrl !== undefined && typeof fields.filesBaseUrl !== 'string')
    problems.add(`${label}: filesBaseUrl must be a URL string`);
  if (problems.list.length > before || baseUrl === undefined) return undefined;
  const agent = {
    id,
    baseUrl,
    mode: mode as DifyAppMode | undefined,
    inputs: Object.freeze({ ...((fields.inputs as Record<string, unknown> | undefined) ?? {}) }),
    queryVariable: (fields.queryVariable as string | undefined) ?? 'query',
    outputKey: fields.outputKey as string | undefined,
    fileVariable: fields.fileVariable as string | undefined,
    filesBaseUrl: filesBase ?? baseUrl.replace(/\/v1$/, ''),
    access: envAccess ?? accessFromJson(fields.access, label, problems),
    suggestions: fields.suggestions === true,
    formsInChat: fields.formsInChat !== false,
  };
  hideSecret(agent, 'apiKey', (fields.apiKey as string).trim());
  return Object.freeze(agent) as unknown as AgentConfig;
}

function readDefaultAgent(env: Env, problems: Problems): AgentConfig | undefined {
  const baseUrl = readString(env, 'DIFY_API_BASE_URL');
  const apiKey = readString(env, 'DIFY_API_KEY');
  if (apiKey === undefined) return undefined;
  const fields: AgentFields = {
    baseUrl: baseUrl ?? 'https://api.dify.ai/v1',
    apiKey,
    mode: readString(env, 'DIFY_APP_MODE'),
    filesBaseUrl: readString(env, 'DIFY_FILES_BASE_URL'),
    suggestions: ['1', 'true', 'yes', 'on'].includes(readString(env, 'DIFY_SUGGESTIONS')?.toLowerCase() ?? ''),
    formsInChat: !['0', 'false', 'no', 'off'].includes(readString(env, 'DIFY_FORMS_IN_CHAT')?.toLowerCase() ?? ''),
  };
  return readAgent(DEFAULT_AGENT_ID, 'DIFY_API_BASE_URL/DIFY_API_KEY', fields, problems, accessFromEnv(env));
}

function readMapping(env: Env, problems: Problems): Map<string, string> {
  const mapping = new Map<string, string>();
  const raw = readJsonObject(env, 'WECOM_AIBOT_AGENT_MAPPING', problems) ?? {};
  for (const [aibotid, agentId] of Object.entries(raw)) {
    if (typeof agentId !== 'string' || agentId.trim() === '') {
      problems.add(`WECOM_AIBOT_AGENT_MAPPING["${aibotid}"] must be an agent id string`);
      continue;
    }
    mapping.set(aibotid, agentId.trim());
  }
  return mapping;
}

export function readAgents(env: Env, problems: Problems): AgentsConfig {
  const byId = new Map<string, AgentConfig>();
  const fallback = readDefaultAgent(env, problems);
  if (fallback !== undefined) byId.set(DEFAULT_AGENT_ID, fallback);
  const listed = readJsonObject(env, 'DIFY_AGENTS', problems) ?? {};
  for (const [id, entry] of Object.entries(listed)) {
    const label = `DIFY_AGENTS["${id}"]`;
    if (!isPlainObject(entry)) {
      problems.add(`${label} must be an object {baseUrl, apiKey}`);
      continue;
    }
    if (byId.has(id)) {
      problems.add(`${label} is also defined by DIFY_API_KEY; define the default agent in one place`);
      continue;
    }
    const agent = readAgent(id, label, entry as AgentFields, problems);
    if (agent !== undefined) byId.set(id, agent);
  }
  const mapping = readMapping(env, problems);
  for (const [aibotid, agentId] of mapping) {
    if (!byId.has(agentId) && agentId !== DEFAULT_AGENT_ID) {
      problems.add(
        `WECOM_AIBOT_AGENT_MAPPING["${aibotid}"] names agent "${agentId}", which DIFY_AGENTS does not define`,
      );
    }
  }
  return Object.freeze({ byId, mapping });
}
