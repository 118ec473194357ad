import 'dotenv/config';
import { type RequestListener, type Server, createServer } from 'node:http';
import { isatty } from 'node:tty';
import type { Logger } from 'pino';
import type { Gateway } from './compose';
import { type Config, ConfigError, LOG_FORMATS, LOG_LEVELS, type LoadedConfig, loadConfig } from './config';
import { type LogSink, createLogger, errorFields, resolveLogFormat, stdoutSink } from './logger';
import { SwitchableListener, startingListener } from './routes/starting';
import type { Database } from './store/database';

interface Logs {
  readonly logger: Logger;
  readonly sink: LogSink;
}

/** The gateway once its store is open and its services are wired. */
interface Running {
  readonly gateway: Gateway;
  readonly db: Database;
}

/**
 * Composition root: the only place that reads process.env, opens the store, listens and handles
 * signals. It listens before the store opens (seconds for the embedded one), so that /healthz answers
 * at once and the other routes say the gateway is starting instead of refusing the connection.
 */
async function main(): Promise<void> {
  const { config, warnings } = loadConfigOrExit();
  const logs = processLogs(config.logLevel, config.logFormat);
  installCrashHandlers(logs);
  for (const warning of warnings) logs.logger.warn(warning);
  const listener = new SwitchableListener(startingListener());
  const server = await listen(config, logs, listener.handle);
  const running = start(config, logs, listener);
  installShutdown({ server, running, logs, graceMs: config.store.shutdownGraceMs });
  await running.catch((err: unknown) => exitFatal(logs, err, 'the gateway could not start'));
}

/** One writer for the whole process, so that lines keep their order and one flushSync covers them all. */
function processLogs(level: Config['logLevel'], format: Config['logFormat']): Logs {
  const tty = isatty(1);
  const sink = stdoutSink(resolveLogFormat(format, tty), { colors: tty });
  return { sink, logger: createLogger(level, sink) };
}

/** Says what is wrong with every buffered line written, then exits: nothing is left in the buffer. */
function exitFatal(logs: Logs, err: unknown, msg: string, fields: Record<string, unknown> = {}): never {
  logs.logger.fatal({ ...fields, err: errorFields(err) }, msg);
  try {
    logs.sink.flushSync();
  } catch {
    // stdout is gone (EPIPE): there is nobody left to tell.
  }
  process.exit(1);
}

function loadConfigOrExit(): LoadedConfig {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // LOG_LEVEL or LOG_FORMAT may be among the problems: an invalid one falls back to its default here.
    const level = LOG_LEVELS.find((name) => name === process.env['LOG_LEVEL']) ?? 'info';
    const logs = processLogs(level, LOG_FORMATS.find((name) => name === process.env['LOG_FORMAT']) ?? 'auto');
    logs.logger.fatal({ problems: err.problems }, 'configuration is invalid; fix these and start again');
    logs.sink.flushSync();
    process.exit(1);
  }
}

function installCrashHandlers(logs: Logs): void {
  // A crash inside one turn must not take the process down; it is logged and the turn's stream is finished.
  process.on('unhandledRejection', (reason) => logs.logger.error({ err: errorFields(reason) }, 'unhandled rejection'));
  // Anything thrown outside a request leaves the process in an unknown state. Node's default prints the
  // stack to stderr as text, beside the log; here it is one more fatal line, written with the others.
  process.on('uncaughtException', (err) => exitFatal(logs, err, 'uncaught exception; exiting'));
}

function listen(config: Config, logs: Logs, listener: RequestListener): Promise<Server> {
  const { host, port } = config.server;
  return new Promise((resolve) => {
    const server = createServer(listener);
    const onError = (err: Error): void => exitFatal(logs, err, 'cannot listen', { host, port });
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      logs.logger.info(
        {
          host,
          port,
          instance: config.store.instanceId,
          bots: [...config.bots.byKey.keys()],
          websocketBots: [...config.bots.websocket.keys()],
          defaultBot: config.bots.fallback !== undefined,
          agents: [...config.agents.byId.keys()],
          hilApiKeys: [...config.hil.apiKeys.keys()],
          hilMcpApi: config.hil.mcpPathToken !== undefined,
          approvals: config.approvals.app === undefined ? 'chat only' : config.approvals.backend,
        },
        'gateway listening',
      );
      resolve(server);
    });
  });
}

/** Opens the store, wires the gateway and hands the server its routes; until then it answers "starting". */
async function start(config: Config, logs: Logs, listener: SwitchableListener): Promise<Running> {
  const started = Date.now();
  // Loaded after listening: Express, the services and the store's drivers take about a second to load
  // on a busy 2-core machine, and /healthz answers before.
  const [{ composeGateway }, { createApp }] = await Promise.all([import('./compose.js'), import('./server.js')]);
  const db = await openStore(config, logs);
  const gateway = composeGateway(config, logs.logger, db);
  await gateway.hil.start();
  listener.switchTo(
    createApp({
      config,
      callbacks: gateway.callbacks,
      logger: logs.logger,
      metrics: gateway.metrics,
      ready: () => gateway.ready(),
      routes: gateway.routes,
    }),
  );
  logs.logger.info({ ms: Date.now() - started }, 'gateway ready');
  return { gateway, db };
}

async function openStore(config: Config, logs: Logs): Promise<Database> {
  const { describeDatabase, openDatabase } = await import('./store/openDatabase.js');
  const target = {
    databaseUrl: config.store.databaseUrl,
    usePgEnv: config.store.usePgEnv,
    dataDir: config.store.dataDir,
  };
  try {
    const db = await openDatabase({
      ...target,
      onError: (err) => logs.logger.error({ err: errorFields(err) }, 'database connection error'),
      onNotice: (fields, message) => logs.logger.info(fields, message),
    });
    logs.logger.info({ database: describeDatabase(target) }, 'store ready, migrations applied');
    return db;
  } catch (err) {
    return exitFatal(logs, err, 'cannot open the store', { database: describeDatabase(target) });
  }
}

/** The value, or undefined when it has not come within ms. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([promise, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms).unref())]);
}

function installShutdown(parts: { server: Server; running: Promise<Running>; logs: Logs; graceMs: number }): void {
  const { server, running, logs, graceMs } = parts;
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logs.logger.info({ signal }, 'shutting down');
    // A signal while the store opens waits for it (a database server half started would be left
    // behind), but not for ever: a store that cannot be reached must not make the stop hang.
    const opened = await within(running, graceMs);
    if (opened === undefined) logs.logger.warn({ graceMs }, 'stopped before the store opened');
    else await stopRunning(opened, server);
    logs.logger.info('stopped');
    logs.sink.flushSync();
    process.exit(0);
  };
  // `on`, not `once`: Ctrl-C on `npm start` reaches the gateway twice (from the terminal and from npm),
  // and a second signal without a handler would end the process before it drained and stopped its store.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      stop(signal).catch((err: unknown) => exitFatal(logs, err, 'shutdown failed'));
    });
  }
}

/** Running turns get the grace period (polls are still served meanwhile), then the server and the store close. */
async function stopRunning({ gateway, db }: Running, server: Server): Promise<void> {
  await gateway.shutdown();
  server.close();
  server.closeIdleConnections();
  await db.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`gateway failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
