/**
 * Starts the real gateway (createApp + composeGateway) on 127.0.0.1 with a fake Dify that is a real
 * HTTP server and a response_url receiver, and hands out fake WeCom clients that sign and encrypt like
 * WeCom. Durations are given in milliseconds here so tests of the window and timeouts stay fast.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { type Gateway, composeGateway } from '../../app/compose';
import { type Config, loadConfig } from '../../app/config';
import type { HilConfig, McpSettings } from '../../app/config/hil';
import { createLogger } from '../../app/logger';
import { createApp } from '../../app/server';
import type { Database } from '../../app/store/database';
import { migrate } from '../../app/store/migrations';
import { createPgDatabase } from '../../app/store/pgDatabase';
import { openDatabase } from '../../app/store/openDatabase';
import { MIGRATIONS } from '../../app/store/schema';
import { createScratchPostgres, embeddedTestUrl, postgresTestUrl } from '../helpers/databases';
import { type FakeDify, type FakeDifyApp, startFakeDify } from '../fakes/fakeDify';
import { FakeWecomClient, type ResponseUrlServer, startResponseUrlServer } from '../fakes/fakeWecom';
import { type FakeWecomWs, WS_BOT_ID, startFakeWecomWs } from '../fakes/fakeWecomWs';

/** The websocket bot of the harness: key in WECOM_BOTS, bot id (= aibotid of its messages) and secret. */
export const WS_BOT = { key: 'wsbot', botId: WS_BOT_ID, secret: 'ws-secret-0123456789' } as const;

/** The protocol reference's AI-bot credentials (wecom-aibot-protocol.md §14.2). */
export const BOT = { token: 'QDG6eK', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' } as const;
export const SECOND_BOT = {
  token: 'secondBotToken',
  encodingAesKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
} as const;

export interface HarnessOptions {
  /** Fake Dify apps; the first is the default agent unless env says otherwise. */
  apps?: FakeDifyApp[];
  /** A fake Dify that outlives this harness (a restart test keeps the same Dify); the harness does not close it. */
  dify?: FakeDify;
  /** More agents, by id: their apiKey (and options) for DIFY_AGENTS, pointed at the fake Dify. */
  agents?: Record<string, { apiKey: string; [option: string]: unknown }>;
  /** Extra env variables (strings, as in production). */
  env?: Record<string, string>;
  windowMs?: number;
  idleTimeoutMs?: number;
  turnTimeoutMs?: number;
  shutdownGraceMs?: number;
  pingIntervalMs?: number;
  /** The websocket heartbeat (the env's floor is 5 s; tests of a dead link need less). */
  heartbeatMs?: number;
  /**
   * The store: a fresh database on the embedded test server (default) or on TEST_DATABASE_URL's server, or
   * an existing one that outlives the harness (to test restarts).
   */
  database?: 'embedded' | 'postgres' | { kind: 'embedded'; dataDir: string } | { kind: 'postgres'; url: string };
  /**
   * Also a websocket bot (WS_BOT) connected to a fake WeCom long-connection server (§12); `secret` is
   * what the gateway is configured with (the fake expects WS_BOT.secret), `bot` adds WECOM_BOTS fields.
   */
  websocket?: boolean | WebsocketOptions;
  /** The MCP endpoint's timings (not in the environment): tests shorten the progress interval. */
  hilMcp?: Partial<McpSettings>;
}

interface OpenedStore {
  readonly db: Database;
  close(): Promise<void>;
}

async function openStore(target: NonNullable<HarnessOptions['database']>): Promise<OpenedStore> {
  if (typeof target === 'object') {
    // The product's own way in: an embedded DATA_DIR starts (or reuses) its server, a URL its pool.
    const db =
      target.kind === 'embedded'
        ? await openDatabase({
            databaseUrl: undefined,
            usePgEnv: false,
            dataDir: target.dataDir,
            onError: () => undefined,
          })
        : createPgDatabase({ connectionString: target.url, onError: () => undefined });
    await migrate(db, MIGRATIONS);
    return { db, close: () => db.close() };
  }
  const kind = target;
  const url = kind === 'embedded' ? embeddedTestUrl() : postgresTestUrl();
  if (url === undefined) throw new Error('this test needs TEST_DATABASE_URL (run .ci/postgres.sh)');
  const scratch = await createScratchPostgres(url);
  const db = createPgDatabase({ connectionString: scratch.url, kind, onError: () => undefined });
  await migrate(db, MIGRATIONS);
  return {
    db,
    close: async () => {
      await db.close();
      await scratch.drop();
    },
  };
}

export interface Harness {
  readonly url: string;
  readonly dify: FakeDify;
  readonly responseUrls: ResponseUrlServer;
  /** The fake long-connection server, when `websocket` was asked for. */
  readonly ws: FakeWecomWs | undefined;
  readonly config: Config;
  readonly gateway: Gateway;
  readonly db: Database;
  /** Every log line the gateway wrote, parsed. */
  readonly logs: Array<Record<string, unknown>>;
  /** The raw log text, to search for leaked secrets. */
  logText(): string;
  wecom(path?: string, creds?: { token: string; encodingAesKey: string }, aibotid?: string): FakeWecomClient;
  close(): Promise<void>;
}

/** config.hil with other MCP settings; its secrets are not enumerable, so it stays the prototype. */
function withMcp(hil: HilConfig, mcp: Partial<McpSettings> | undefined): HilConfig {
  if (mcp === undefined) return hil;
  return Object.create(hil, { mcp: { value: { ...hil.mcp, ...mcp }, enumerable: true } }) as HilConfig;
}

function withDurations(config: Config, opts: HarnessOptions): Config {
  return {
    ...config,
    hil: withMcp(config.hil, opts.hilMcp),
    stream: { ...config.stream, ...(opts.windowMs !== undefined ? { windowMs: opts.windowMs } : {}) },
    websocket: { ...config.websocket, ...(opts.heartbeatMs !== undefined ? { heartbeatMs: opts.heartbeatMs } : {}) },
    store: Object.assign(
      Object.create(null) as object,
      config.store,
      opts.shutdownGraceMs !== undefined ? { shutdownGraceMs: opts.shutdownGraceMs } : {},
    ) as Config['store'],
    dify: {
      ...config.dify,
      ...(opts.idleTimeoutMs !== undefined ? { idleTimeoutMs: opts.idleTimeoutMs } : {}),
      ...(opts.turnTimeoutMs !== undefined ? { turnTimeoutMs: opts.turnTimeoutMs } : {}),
    },
  };
}

function agentsEnv(agents: NonNullable<HarnessOptions['agents']>, baseUrl: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(agents).map(([id, agent]) => [id, { baseUrl, ...agent }]));
}

/** WS_BOT added to WECOM_BOTS (next to any bots the test lists), with fast reconnects and frames. */
interface WebsocketOptions {
  secret?: string;
  bot?: Record<string, unknown>;
  /** More websocket bots on the same fake server, each accepted with its own secret. */
  more?: Array<{ key: string; botId: string; secret: string }>;
  /** A fake server that outlives this harness (two instances of one deployment); not closed here. */
  server?: FakeWecomWs;
}

function websocketEnv(
  ws: FakeWecomWs,
  env: Record<string, string> | undefined,
  custom: WebsocketOptions,
): Record<string, string> {
  const listed = env?.['WECOM_BOTS'] !== undefined ? (JSON.parse(env['WECOM_BOTS']) as Record<string, unknown>) : {};
  const bot = {
    mode: 'websocket',
    botId: WS_BOT.botId,
    secret: custom.secret ?? WS_BOT.secret,
    wsUrl: ws.url,
    ...custom.bot,
  };
  const more = Object.fromEntries(
    (custom.more ?? []).map((m) => [m.key, { mode: 'websocket', botId: m.botId, secret: m.secret, wsUrl: ws.url }]),
  );
  for (const m of custom.more ?? []) ws.setSecret(m.botId, m.secret);
  return {
    WECOM_BOTS: JSON.stringify({ ...listed, [WS_BOT.key]: bot, ...more }),
    WECOM_WS_RECONNECT_BASE_MS: env?.['WECOM_WS_RECONNECT_BASE_MS'] ?? '20',
    WECOM_WS_FRAME_INTERVAL_MS: env?.['WECOM_WS_FRAME_INTERVAL_MS'] ?? '100',
    WECOM_WS_SEND_WAIT_SECONDS: env?.['WECOM_WS_SEND_WAIT_SECONDS'] ?? '5',
    WECOM_WS_STANDBY_RETRY_SECONDS: env?.['WECOM_WS_STANDBY_RETRY_SECONDS'] ?? '1',
  };
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const apps = opts.apps ?? [{ apiKey: 'app-chat', mode: 'chat' }];
  const ownDify = opts.dify === undefined;
  const dify =
    opts.dify ??
    (await startFakeDify({
      apps,
      ...(opts.pingIntervalMs !== undefined ? { pingIntervalMs: opts.pingIntervalMs } : {}),
    }));
  const responseUrls = await startResponseUrlServer();
  const wsOpts = typeof opts.websocket === 'object' ? opts.websocket : {};
  const ownWs = opts.websocket !== undefined && opts.websocket !== false && wsOpts.server === undefined;
  const ws = wsOpts.server ?? (ownWs ? await startFakeWecomWs({ bots: { [WS_BOT.botId]: WS_BOT.secret } }) : undefined);
  const env: Record<string, string> = {
    WECOM_TOKEN: BOT.token,
    WECOM_ENCODING_AES_KEY: BOT.encodingAesKey,
    DIFY_API_BASE_URL: dify.baseUrl,
    DIFY_API_KEY: apps[0]?.apiKey ?? 'app-none',
    DIFY_RETRY_BASE_MS: '20',
    LOG_LEVEL: 'debug',
    ...(opts.agents !== undefined ? { DIFY_AGENTS: JSON.stringify(agentsEnv(opts.agents, dify.baseUrl)) } : {}),
    ...opts.env,
    ...(ws !== undefined ? websocketEnv(ws, opts.env, wsOpts) : {}),
  };
  let config: Config;
  try {
    config = withDurations(loadConfig(env).config, opts);
  } catch (err) {
    await Promise.all([ownDify ? dify.close() : undefined, responseUrls.close(), ownWs ? ws?.close() : undefined]);
    throw err;
  }
  const logText: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logText.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger(config.logLevel, sink);
  const store = await openStore(opts.database ?? 'embedded');
  const gateway = composeGateway(config, logger, store.db);
  await gateway.hil.start();
  const server = createServer(
    createApp({
      config,
      callbacks: gateway.callbacks,
      logger,
      metrics: gateway.metrics,
      ready: () => gateway.ready(),
      routes: gateway.routes,
    }),
  ).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    dify,
    responseUrls,
    ws,
    config,
    gateway,
    db: store.db,
    get logs() {
      return logText
        .join('')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    logText: () => logText.join(''),
    wecom(path = '/wecom/callback/bot1', creds = BOT, aibotid?: string) {
      return new FakeWecomClient({
        baseUrl: url,
        path,
        token: creds.token,
        encodingAesKey: creds.encodingAesKey,
        ...(aibotid !== undefined ? { aibotid } : {}),
      });
    },
    async close() {
      await gateway.shutdown();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await Promise.all([ownDify ? dify.close() : undefined, responseUrls.close(), ownWs ? ws?.close() : undefined]);
      await store.close();
    },
  };
}
