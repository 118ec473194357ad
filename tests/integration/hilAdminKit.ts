import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import express from 'express';
import pino, { type Logger } from 'pino';
import type { HilConfig } from '../../app/config/hil';
import { adminApi } from '../../app/hil/routes/hilAdmin';
import { AccessTokens } from '../../app/hil/services/accessTokens';
import { ApiKeyAuth } from '../../app/hil/services/apiKeyAuth';
import { OperatorAccounts } from '../../app/hil/services/operatorAccounts';
import { type DeskResult, type OperatorDesk, responseObject } from '../../app/hil/services/operatorDesk';
import type { HilAnswer, HilRequests, HilStatus, LoopType } from '../../app/hil/store/hilRequests';
import { SqlApiKeys } from '../../app/hil/store/sqlApiKeys';
import { SqlHilRequests } from '../../app/hil/store/sqlHilRequests';
import { SqlOperators } from '../../app/hil/store/sqlOperators';
import { SqlSettings } from '../../app/hil/store/sqlSettings';
import type { Database } from '../../app/store/database';

/**
 * A small OperatorDesk over the real store, standing in for the hub's own (written elsewhere): the same
 * checks as the hub (type, open status), answering through store.answer, and no WeCom.
 */
export class StoreDesk implements OperatorDesk {
  constructor(private readonly store: HilRequests) {}

  approval(id: string, action: 'approved' | 'rejected', by: string, extra: { feedback?: unknown; response?: unknown }) {
    const response = extra.response === undefined ? { decision: action } : responseObject('decision', extra.response);
    return this.apply(id, 'approval', { status: action, response, feedback: extra.feedback, by });
  }

  information(id: string, response: unknown, by: string, feedback?: unknown) {
    return this.apply(id, 'information', {
      status: 'completed',
      response: responseObject('information', response),
      feedback,
      by,
    });
  }

  conversation(id: string, response: unknown, by: string, isComplete: boolean, feedback?: unknown) {
    const status = isComplete ? 'completed' : 'inprogress';
    return this.apply(id, 'conversation', { status, response: responseObject('message', response), feedback, by });
  }

  cancel(id: string, by: string) {
    return this.apply(id, undefined, { status: 'cancelled', response: null, by });
  }

  async setStatus(id: string, status: HilStatus): Promise<DeskResult> {
    const request = await this.store.forceStatus(id, status, Date.now());
    return request === undefined ? { ok: false, error: 'Request not found', notFound: true } : { ok: true, request };
  }

  private async apply(
    id: string,
    type: LoopType | undefined,
    a: { status: HilStatus; response: HilAnswer['response']; feedback?: unknown; by: string },
  ): Promise<DeskResult> {
    const found = await this.store.byId(id);
    if (found === undefined) return { ok: false, error: 'Request not found', notFound: true };
    if (type !== undefined && found.loopType !== type)
      return { ok: false, error: `Request type mismatch. Expected '${type}', got '${found.loopType}'` };
    const answer: HilAnswer = {
      status: a.status,
      response: a.response,
      ...(a.feedback === undefined ? {} : { feedback: a.feedback }),
      respondedBy: a.by,
      respondedAt: Date.now(),
    };
    const request = await this.store.answer(id, answer);
    if (request === undefined) return { ok: false, error: `Cannot process request with status: ${found.status}` };
    return { ok: true, request };
  }
}

export interface AdminHarness {
  readonly base: string;
  readonly requests: SqlHilRequests;
  readonly apiKeys: SqlApiKeys;
  readonly operators: SqlOperators;
  readonly tokens: AccessTokens;
  readonly keyAuth: ApiKeyAuth;
  /** Every log line the API wrote. */
  readonly logs: string[];
  close(): Promise<void>;
}

function capturingLogger(lines: string[]): Logger {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return pino({ level: 'debug' }, sink);
}

/** adminApi over real stores on `db`, listening on 127.0.0.1 at a free port. */
export async function startAdmin(db: Database, config: HilConfig): Promise<AdminHarness> {
  const logs: string[] = [];
  const logger = capturingLogger(logs);
  const requests = new SqlHilRequests(db);
  const apiKeys = new SqlApiKeys(db);
  const operators = new SqlOperators(db);
  const tokens = new AccessTokens(config, new SqlSettings(db));
  const keyAuth = new ApiKeyAuth(config, apiKeys);
  const accounts = new OperatorAccounts({ config, operators, tokens, logger });
  await accounts.ensureFirstSuperuser();
  const app = express().use(adminApi({ logger, requests, desk: new StoreDesk(requests), apiKeys, keyAuth, accounts }));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    apiKeys,
    operators,
    tokens,
    keyAuth,
    logs,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // fetch keeps connections alive; they would hold close() open.
        server.closeAllConnections();
      }),
  };
}
