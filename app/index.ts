import 'dotenv/config';
import type { Server } from 'node:http';
import { composeGateway } from './compose';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { createApp } from './server';

/** Composition root: the only place that reads process.env, listens and handles signals. */
function main(): void {
  const bootLogger = createLogger((process.env['LOG_LEVEL'] as 'info' | undefined) ?? 'info');
  let loaded;
  try {
    loaded = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      bootLogger.fatal({ problems: err.problems }, 'configuration is invalid; fix these and start again');
      process.exit(1);
    }
    throw err;
  }
  const { config, warnings } = loaded;
  const logger = createLogger(config.logLevel);
  for (const warning of warnings) logger.warn(warning);
  const gateway = composeGateway(config, logger);
  const app = createApp({ config, callbacks: gateway.callbacks, logger });
  const server = app.listen(config.server.port, config.server.host, () => {
    logger.info(
      { host: config.server.host, port: config.server.port, bots: [...config.bots.byKey.keys()], defaultBot: config.bots.fallback !== undefined, agents: [...config.agents.byId.keys()] },
      'gateway listening',
    );
  });
  installShutdown(server, logger);
}

function installShutdown(server: Server, logger: ReturnType<typeof createLogger>): void {
  const stop = (signal: string): void => {
    logger.info({ signal }, 'shutting down');
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main();
