import axios from 'axios';
import type { Logger } from 'pino';
import { MemoryConversationStore } from './cache/conversationStore';
import { MemoryMsgidClaims } from './cache/msgidClaims';
import { MemoryStreamStore } from './cache/memoryStreamStore';
import type { Config } from './config';
import { CallbackService } from './services/callbackService';
import { AppModes } from './services/dify/appModes';
import { DifyFiles } from './services/dify/difyFiles';
import { DifyHttp } from './services/dify/difyHttp';
import { KeyedLock } from './services/keyedLock';
import { TurnRunner } from './services/turn';
import { TurnMedia } from './services/turnMedia';
import { ResponseUrlClient } from './services/wecom/responseUrlClient';

export interface Gateway {
  readonly callbacks: CallbackService;
  readonly streams: MemoryStreamStore;
}

/**
 * Wires the services for one process from a validated config. Tests call this with their own config
 * and logger; app/index.ts calls it with the real ones.
 */
export function composeGateway(config: Config, logger: Logger, now: () => number = Date.now): Gateway {
  const http = axios.create({ headers: { 'User-Agent': 'wecom-dify-gateway' } });
  const streams = new MemoryStreamStore({ ttlMs: config.stream.ttlMs });
  const claims = new MemoryMsgidClaims({ ttlMs: config.stream.ttlMs });
  const modes = new AppModes(http, logger);
  const dify = { http: new DifyHttp(http, config.dify), axios: http, modes, logger };
  const media = new TurnMedia({ config, files: new DifyFiles(http, logger), modes, logger });
  const turns = new TurnRunner({ config, dify, media, conversations: new MemoryConversationStore(), locks: new KeyedLock(), logger, now });
  const callbacks = new CallbackService({ config, streams, claims, turns, responseUrl: new ResponseUrlClient(http, logger), logger, now });
  return { callbacks, streams };
}
