import { randomBytes } from 'node:crypto';
import { type Env, type Problems, hideSecret, readInt, readString } from './readers';

/** Persistence and running several instances (issue #4). */
export interface StoreConfig {
  /** PostgreSQL connection string (secret: may hold a password); undefined → PG* env or embedded. */
  readonly databaseUrl: string | undefined;
  /** libpq PG* variables are set: `pg` reads them itself. */
  readonly usePgEnv: boolean;
  /** Where the embedded database lives when no PostgreSQL is configured. */
  readonly dataDir: string;
  /** This process in the shared stream table; polls elsewhere watch its heartbeat. */
  readonly instanceId: string;
  /** The owner writes a running stream's snapshot to the store at most this often. */
  readonly flushIntervalMs: number;
  readonly heartbeatIntervalMs: number;
  /** A running stream whose owner has not beaten for this long is finished by whoever gets the poll. */
  readonly ownerTimeoutMs: number;
  readonly messageRetentionMs: number;
  readonly conversationRetentionMs: number;
  /** SIGTERM: running turns get this long to finish before they are cut short. */
  readonly shutdownGraceMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function readStore(env: Env, problems: Problems): StoreConfig {
  const ownerTimeoutSeconds = readInt(env, 'STREAM_OWNER_TIMEOUT_SECONDS', 15, 3, 300, problems);
  const config = {
    usePgEnv: ['PGHOST', 'PGDATABASE', 'PGUSER', 'PGSERVICE'].some((name) => readString(env, name) !== undefined),
    dataDir: readString(env, 'DATA_DIR') ?? './data',
    instanceId: readString(env, 'INSTANCE_ID') ?? `i_${randomBytes(6).toString('hex')}`,
    flushIntervalMs: readInt(env, 'STREAM_FLUSH_MS', 200, 10, 5000, problems),
    heartbeatIntervalMs: Math.max(1000, Math.floor((ownerTimeoutSeconds * 1000) / 3)),
    ownerTimeoutMs: ownerTimeoutSeconds * 1000,
    messageRetentionMs: readInt(env, 'MESSAGE_LOG_RETENTION_DAYS', 30, 1, 3650, problems) * DAY_MS,
    conversationRetentionMs: readInt(env, 'CONVERSATION_RETENTION_DAYS', 180, 1, 3650, problems) * DAY_MS,
    shutdownGraceMs: readInt(env, 'SHUTDOWN_GRACE_SECONDS', 20, 0, 600, problems) * 1000,
  };
  const url = readString(env, 'DATABASE_URL');
  if (url !== undefined && !/^postgres(ql)?:\/\//.test(url))
    problems.add('DATABASE_URL must be a postgres:// or postgresql:// URL');
  hideSecret(config, 'databaseUrl', url);
  return config as StoreConfig;
}
