import 'dotenv/config';
import { type Server, createServer } from 'node:http';
import type { Logger } from 'pino';
import { type Gateway, composeGateway } from './compose';
import { type Config, ConfigError, type LogLevel, loadConfig } from './config';
import { createLogger, errorFields, flushLogs } from './logger';
import { createApp } from './server';
import type { Database } from './store/database';
import { describeDatabase, openDatabase } from './store/openDatabase';

/** Composition root: the only place that reads process.env, opens pools, listens and handles signals. */
async function main(): Promise<void> {
  const bootLogger = createLogger((process.env['LOG_LEVEL'] as LogLevel | undefined) ?? 'info');
  let loaded;
  try {
    loaded = loadConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    bootLogger.fatal({ problems: err.problems }, 'configuration is invalid; fix these and start again');
    await flushLogs(bootLogger);
    process.exit(1);
  }
  const { config, warnings } = loaded;
  const logger = createLogger(config.logLevel);
  for (const warning of warnings) logger.warn(warning);
  const db = await openStore(config, logger);
  const gateway = composeGateway(config, logger, db);
  await gateway.hil.start();
  const app = createApp({
    config,
    callbacks: gateway.callbacks,
    logger,
    metrics: gateway.metrics,
    ready: () => gateway.ready(),
    routes: gateway.hil.router,
  });
  const server = createServer(app).listen(config.server.port, config.server.host, () => {
    logger.info(
      {
        host: config.server.host,
        port: config.server.port,
        instance: config.store.instanceId,
        bots: [...config.bots.byKey.keys()],
        websocketBots: [...config.bots.websocket.keys()],
        defaultBot: config.bots.fallback !== undefined,
        agents: [...config.agents.byId.keys()],
        hilApiKeys: [...config.hil.apiKeys.keys()],
      },
      'gateway listening',
    );
  });
  installShutdown({ server, gateway, db, logger });
  // A crash inside one turn must not take the process down; it is logged and the turn's stream is finished.
  process.on('unhandledRejection', (reason) => logger.error({ err: errorFields(reason) }, 'unhandled rejection'));
}

async function openStore(config: Config, logger: Logger): Promise<Database> {
  const target = {
    databaseUrl: config.store.databaseUrl,
    usePgEnv: config.store.usePgEnv,
    dataDir: config.store.dataDir,
  };
  try {
    const db = await openDatabase({
      ...target,
      onError: (err) => logger.error({ err: errorFields(err) }, 'database connection error'),
      onNotice: (fields, message) => logger.info(fields, message),
    });
    logger.info({ database: describeDatabase(target) }, 'store ready, migrations applied');
    return db;
  } catch (err) {
    logger.fatal({ err: errorFields(err), database: describeDatabase(target) }, 'cannot open the store');
    await flushLogs(logger);
    process.exit(1);
  }
}

function installShutdown(parts: { server: Server; gateway: Gateway; db: Database; logger: Logger }): void {
  const { server, gateway, db, logger } = parts;
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await gateway.shutdown();
    server.close();
    server.closeIdleConnections();
    await db.close();
    logger.info('stopped');
    await flushLogs(logger);
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      stop(signal).catch((err: unknown) => {
        logger.error({ err: errorFields(err) }, 'shutdown failed');
        process.exit(1);
      });
    });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`gateway failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
