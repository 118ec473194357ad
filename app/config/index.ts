import { type AgentsConfig, DEFAULT_AGENT_ID, readAgents } from './agents';
import { type BotsConfig, readBots } from './bots';
import { type Env, Problems, readBool, readEnum, readInt, readString } from './readers';
import { type ConversationControls, readControls } from './access';
import { type HilConfig, readHil } from './hil';
import { type ApprovalsConfig, readApprovals } from './wecomApp';
import { type MediaConfig, readMedia } from './media';
import { type StoreConfig, readStore } from './store';
import { type WebsocketConfig, readWebsocket } from './wsBots';
import { type Texts, loadTexts } from './texts';

export type { AgentConfig, DifyAppMode } from './agents';
export type { BotProfile } from './botProfile';
export type { BotConfig } from './callbackBots';
export type { WebsocketConfig, WsBotConfig } from './wsBots';
export type { HilConfig } from './hil';
export type { ApprovalBackend, ApprovalsConfig, WecomAppConfig } from './wecomApp';
export type { MediaConfig } from './media';
export type { StoreConfig } from './store';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** `auto`: human-readable lines when stdout is a terminal, JSON otherwise (what log collectors read). */
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** How group chats map to Dify conversations (wecom-aibot-protocol.md §15.12). */
export type GroupScope = 'group' | 'member';

export interface Config {
  readonly server: { readonly port: number; readonly host: string };
  readonly bots: BotsConfig;
  readonly agents: AgentsConfig;
  readonly stream: {
    /** Close a still-running stream this long after the message arrived (WeCom stops polling at 6 min). */
    readonly windowMs: number;
    /** How long stream state and msgid claims are kept for late polls and retries. */
    readonly ttlMs: number;
    readonly showThinking: boolean;
  };
  readonly dify: {
    /** No byte (not even a ping, sent every 10 s) for this long → the run is abandoned. */
    readonly idleTimeoutMs: number;
    /** Overall limit for one Dify run. */
    readonly turnTimeoutMs: number;
    /** Retries of 429/5xx/network errors before the stream started (dify-api.md §5.5). */
    readonly retryMax: number;
    readonly retryBaseMs: number;
  };
  readonly media: MediaConfig;
  readonly websocket: WebsocketConfig;
  readonly store: StoreConfig;
  readonly hil: HilConfig;
  /** Formal WeCom approvals (审批) through a self-built app (issue #16). */
  readonly approvals: ApprovalsConfig;
  readonly conversation: { readonly groupScope: GroupScope };
  readonly controls: ConversationControls;
  readonly texts: Texts;
  /** The operator console (issue #17): message text is shown only when CONSOLE_SHOW_MESSAGE_TEXT=true (privacy). */
  readonly console: { readonly showMessageText: boolean };
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
}

export interface LoadedConfig {
  readonly config: Config;
  /** Things that are missing but do not stop the gateway from starting (it logs them). */
  readonly warnings: readonly string[];
}

/** Every problem found in the environment, in one error; values are never quoted. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n- ${problems.join('\n- ')}`);
    this.name = 'ConfigError';
  }
}

function readStreamAndDify(env: Env, problems: Problems): Pick<Config, 'stream' | 'dify'> {
  const windowSeconds = readInt(env, 'WECOM_STREAM_WINDOW_SECONDS', 330, 5, 355, problems);
  const ttlSeconds = readInt(env, 'STREAM_TTL_SECONDS', 900, 60, 86400, problems);
  if (ttlSeconds <= windowSeconds) problems.add('STREAM_TTL_SECONDS must be longer than WECOM_STREAM_WINDOW_SECONDS');
  return {
    stream: {
      windowMs: windowSeconds * 1000,
      ttlMs: ttlSeconds * 1000,
      showThinking: readBool(env, 'WECOM_SHOW_THINKING', true, problems),
    },
    dify: {
      idleTimeoutMs: readInt(env, 'DIFY_IDLE_TIMEOUT_SECONDS', 60, 1, 3600, problems) * 1000,
      turnTimeoutMs: readInt(env, 'DIFY_TURN_TIMEOUT_SECONDS', 900, 5, 3600, problems) * 1000,
      retryMax: readInt(env, 'DIFY_RETRY_MAX', 2, 0, 10, problems),
      retryBaseMs: readInt(env, 'DIFY_RETRY_BASE_MS', 1000, 0, 60000, problems),
    },
  };
}

/** HIL_DEFAULT_BOT names a WECOM_BOTS key (or `*`, the default callback bot). */
function checkHilBot(config: Config, problems: Problems): void {
  const bot = config.hil.defaultBot;
  if (bot === undefined) return;
  const known =
    config.bots.byKey.has(bot) || config.bots.websocket.has(bot) || (bot === '*' && config.bots.fallback !== undefined);
  if (!known) problems.add('HIL_DEFAULT_BOT must be a key of WECOM_BOTS, or * for the default bot');
}

function collectWarnings(config: Config): string[] {
  const warnings: string[] = [];
  if (config.bots.fallback === undefined && config.bots.byKey.size === 0 && config.bots.websocket.size === 0) {
    warnings.push(
      'No WeCom bot configured: set WECOM_TOKEN and WECOM_ENCODING_AES_KEY (or WECOM_BOTS, callback or websocket); every callback gets 404 until then',
    );
  }
  if (config.agents.byId.size === 0) {
    warnings.push(
      'No Dify agent configured: set DIFY_API_BASE_URL and DIFY_API_KEY (or DIFY_AGENTS); users get a "not configured" notice until then',
    );
  } else if (!config.agents.byId.has(DEFAULT_AGENT_ID)) {
    warnings.push(
      'No default agent (DIFY_API_KEY): bots missing from WECOM_AIBOT_AGENT_MAPPING get a "not configured" notice',
    );
  }
  if (config.hil.apiKeys.size === 0 && config.hil.firstSuperuser === undefined) {
    warnings.push(
      'People in the loop has no API key: set HIL_API_KEYS (or FIRST_SUPERUSER and FIRST_SUPERUSER_PASSWORD, then create keys in the admin API); GoHumanLoop clients, /mcp and /api/hil/v1/interactions get 401 until then',
    );
  }
  return warnings;
}

/**
 * Reads and validates the whole configuration once (the variables are documented in .env.example).
 * Pure: takes the env object, so tests pass plain objects. Throws ConfigError listing every problem.
 */
export function loadConfig(env: Env): LoadedConfig {
  const problems = new Problems();
  const config: Config = {
    server: {
      port: readInt(env, 'PORT', 15000, 0, 65535, problems),
      host: readString(env, 'HOST') ?? '0.0.0.0',
    },
    bots: readBots(env, problems),
    agents: readAgents(env, problems),
    ...readStreamAndDify(env, problems),
    media: readMedia(env, problems),
    websocket: readWebsocket(env, problems),
    store: readStore(env, problems),
    hil: readHil(env, problems),
    approvals: readApprovals(env, problems),
    conversation: {
      groupScope: readEnum(env, 'WECOM_GROUP_CONVERSATION_SCOPE', ['group', 'member'] as const, 'group', problems),
    },
    controls: readControls(env, problems),
    texts: loadTexts(env),
    console: { showMessageText: readBool(env, 'CONSOLE_SHOW_MESSAGE_TEXT', false, problems) },
    logLevel: readEnum(env, 'LOG_LEVEL', LOG_LEVELS, 'info', problems),
    logFormat: readEnum(env, 'LOG_FORMAT', LOG_FORMATS, 'auto', problems),
  };
  checkHilBot(config, problems);
  if (problems.list.length > 0) throw new ConfigError(problems.list);
  return { config: deepFreeze(config), warnings: collectWarnings(config) };
}

function deepFreeze<T>(value: T): T {
  if (
    typeof value === 'object' &&
    value !== null &&
    !Buffer.isBuffer(value) &&
    !(value instanceof Map) &&
    !(value instanceof Set)
  ) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
