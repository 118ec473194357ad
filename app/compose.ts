import axios from 'axios';
import { type RequestHandler, Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from './config';
import { errorFields } from './logger';
import { GatewayMetrics } from './metrics';
import { Admission } from './services/intake/admission';
import { CallbackService } from './services/intake/callbackService';
import type { ChatOutbox } from './services/channel';
import { CardQuestions } from './services/intake/cardQuestions';
import { Claimants } from './services/intake/claimants';
import { BotOutbox } from './services/outbox/botOutbox';
import { Reachability } from './services/outbox/reachability';
import { ResponseUrlBook } from './services/outbox/responseUrlBook';
import { ResponseUrlOutbox } from './services/outbox/responseUrlOutbox';
import { EventReplies } from './services/intake/eventReplies';
import { AppModes } from './services/dify/appModes';
import { AppParameters } from './services/dify/appParameters';
import { DifyFiles } from './services/dify/difyFiles';
import { DifyHttp } from './services/dify/difyHttp';
import { KeyedLock } from './services/turn/keyedLock';
import { MessageIntake } from './services/intake/messageIntake';
import { PausedForms } from './services/turn/pausedForms';
import { TurnRunner } from './services/turn/turnRunner';
import { TurnMedia } from './services/turn/turnMedia';
import { ResponseUrlClient } from './services/wecom/responseUrlClient';
import { SqlAccessRules } from './store/sqlAccessRules';
import type { AdmissionCounts } from './store/admissionCounts';
import { MemoryAdmissionCounts } from './store/memoryAdmissionCounts';
import { SqlAdmissionCounts } from './store/sqlAdmissionCounts';
import type { StoredAccessRules } from './store/accessRules';
import { type Database, sharedByInstances } from './store/database';
import { SqlMessageLog } from './store/sqlMessageLog';
import { SharedStreamStore } from './store/sharedStreamStore';
import { SqlConversationStore } from './store/sqlConversationStore';
import { CachedConversationStore } from './store/cachedConversationStore';
import { createLeases } from './store/advisoryLeases';
import { ConversationQuota } from './websocket/conversationQuota';
import { WsConnections } from './websocket/wsConnections';
import { WsInbound } from './websocket/wsInbound';
import { WsOrphans } from './websocket/wsOrphans';
import { WsOutbox } from './websocket/wsOutbox';
import { type HilHub, composeHil } from './hil/hilHub';
import { consoleRouter } from './console/consoleSide';
import { type Readiness, readiness } from './readiness';
import { startRetention, startRulesRefresh } from './upkeep';

export type { Readiness } from './readiness';

export interface Gateway {
  readonly callbacks: CallbackService;
  /** Sends to a chat of a bot outside any turn: for the products that speak first (people in the loop). */
  readonly outbox: ChatOutbox;
  /** Where such a product registers to take messages and card clicks before Dify does. */
  readonly claimants: Claimants;
  /** People in the loop: its routes (GoHumanLoop API, admin API) and its start (first operator, expiry sweep). */
  readonly hil: HilHub;
  /** Every HTTP route beside WeCom's callbacks and health: the operator console (/console) and the HIL APIs. */
  readonly routes: RequestHandler;
  readonly metrics: GatewayMetrics;
  readonly turns: TurnRunner;
  /** Readiness: the store answers a query within 2 s, and every websocket bot is connected (see readiness()). */
  ready(): Promise<Readiness>;
  /** Reloads the access rules kept in the store (also done every 30 s). */
  readonly accessRules: StoredAccessRules;
  /** SIGTERM: stop taking new turns, let running ones finish (bounded), flush state; the caller closes the database. */
  shutdown(): Promise<void>;
}

/**
 * Where a user's rate and running turns are counted: in memory for one process, in the store when
 * instances share PostgreSQL (issue #14 scope 5), like the running snapshots other instances read.
 */
function admissionCounts(db: Database, config: Config): AdmissionCounts {
  return sharedByInstances(db) ? new SqlAdmissionCounts(db, config.store.instanceId) : new MemoryAdmissionCounts();
}

/**
 * Wires the services of one process over an open, migrated database. Tests call this with their own
 * config, logger and database; app/index.ts with the real ones.
 */
export function composeGateway(config: Config, logger: Logger, db: Database, now: () => number = Date.now): Gateway {
  const http = axios.create({ headers: { 'User-Agent': 'wecom-dify-gateway' } });
  const metrics = new GatewayMetrics();
  const onStoreError = (err: unknown): void => logger.error({ err: errorFields(err) }, 'stream store write failed');
  const streams = new SharedStreamStore(
    db,
    { ...config.store, ttlMs: config.stream.ttlMs, writeRunningSnapshots: sharedByInstances(db) },
    onStoreError,
  );
  const messages = new SqlMessageLog(db, (err) => logger.error({ err: errorFields(err) }, 'message log write failed'));
  const modes = new AppModes(http, logger);
  const difyHttp = new DifyHttp(config.dify);
  const dify = { http: difyHttp, axios: http, modes, logger };
  const parameters = new AppParameters(http, logger);
  const media = new TurnMedia({
    config,
    files: new DifyFiles(http, parameters),
    modes,
    logger,
    onBytes: (bytes) => metrics.mediaBytes.inc({ direction: 'inbound' }, bytes),
  });
  const storedConversations = new SqlConversationStore(db, (err) =>
    logger.error({ err: errorFields(err) }, 'conversation store write failed'),
  );
  // One process serves from the embedded store, so its memory is the truth; a shared PostgreSQL is read each turn.
  const conversations = sharedByInstances(db) ? storedConversations : new CachedConversationStore(storedConversations);
  const accessRules = new SqlAccessRules(db);
  const onCountError = (err: unknown): void =>
    logger.error({ err: errorFields(err) }, 'running turns could not be updated in the store');
  const admission = new Admission(config, now, admissionCounts(db, config), accessRules, onCountError);
  // A previous life of this INSTANCE_ID may have left running turns behind.
  admission.forgetInstance().catch(onCountError);
  const pausedForms = new PausedForms();
  const turns = new TurnRunner({
    config,
    pausedForms,
    dify,
    media,
    conversations,
    messages,
    locks: new KeyedLock(),
    logger,
    now,
    metrics,
  });
  const responseUrl = new ResponseUrlClient(http, logger, (outcome) => metrics.responseUrlPosts.inc({ outcome }));
  const claimants = new Claimants(logger);
  const intake = new MessageIntake({
    config,
    streams,
    messages,
    conversations,
    admission,
    turns,
    claimants,
    logger,
    now,
    metrics,
  });
  claimants.add(new CardQuestions({ config, admission, intake }));
  const events = new EventReplies({ config, messages, http, parameters, claimants, logger });
  const reachability = new Reachability(logger);
  const book = new ResponseUrlBook(now, reachability);
  const callbacks = new CallbackService({ config, streams, intake, events, responseUrl, book, logger, now });
  const quota = new ConversationQuota(config.websocket.messagesPerMinute, config.websocket.messagesPerHour);
  const wsInbound = new WsInbound({
    config,
    intake,
    events,
    streams,
    logger,
    texts: config.texts,
    quota,
    frameIntervalMs: config.websocket.frameIntervalMs,
    sendWaitMs: config.websocket.sendWaitMs,
    reachability,
  });
  const leases = createLeases(db);
  const orphans = new WsOrphans({ streams, texts: config.texts, quota, logger });
  const websocket = new WsConnections(config, wsInbound, logger, leases, metrics, orphans);
  const outbox = new BotOutbox(config.bots, {
    push: new WsOutbox((key) => websocket.connectionOf(key), quota, logger),
    responseUrl: new ResponseUrlOutbox(book, responseUrl),
  });
  const hil = composeHil({ config, logger, db, outbox, reachability, claimants, now, dify, pausedForms });
  const ready = (): Promise<Readiness> =>
    readiness(db, websocket, config.bots.fallback !== undefined || config.bots.byKey.size > 0);
  const routes = Router();
  routes.use(
    consoleRouter({
      ...{ config, logger, db, now, ready, requests: hil.requests, desk: hil.desk, accounts: hil.accounts },
      runningTurns: () => turns.activeTurns,
    }),
  );
  routes.use(hil.router);
  websocket.start();
  const retention = startRetention(db, config, logger);
  const rulesTimer = startRulesRefresh(accessRules, logger);
  return {
    callbacks,
    outbox,
    claimants,
    hil,
    routes,
    metrics,
    turns,
    accessRules,
    ready,
    async shutdown() {
      callbacks.startDraining();
      wsInbound.startDraining();
      logger.info({ activeTurns: turns.activeTurns, graceMs: config.store.shutdownGraceMs }, 'draining running turns');
      await turns.drain(config.store.shutdownGraceMs);
      await admission.forgetInstance().catch(onCountError);
      clearInterval(retention);
      clearInterval(rulesTimer);
      hil.stop();
      await streams.flushAll();
      await messages.flush();
      websocket.stop();
      leases.close();
      streams.close();
      difyHttp.close();
    },
  };
}
