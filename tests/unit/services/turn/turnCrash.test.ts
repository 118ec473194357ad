import axios from 'axios';
import pino from 'pino';
import type { StreamSnapshot } from '../../../../app/store/streamStore';
import { loadConfig } from '../../../../app/config';
import { AppModes } from '../../../../app/services/dify/appModes';
import { AppParameters } from '../../../../app/services/dify/appParameters';
import { DifyFiles } from '../../../../app/services/dify/difyFiles';
import { DifyHttp } from '../../../../app/services/dify/difyHttp';
import { KeyedLock } from '../../../../app/services/turn/keyedLock';
import { TurnRunner } from '../../../../app/services/turn/turnRunner';
import { TurnMedia } from '../../../../app/services/turn/turnMedia';
import type { MessageLog } from '../../../../app/store/messageLog';
import { DEFAULT_TEXTS } from '../../../../app/config/texts';

/** A bug inside one turn (here: the conversation store throws) must end that stream, not the process. */
describe('a crash inside a turn', () => {
  it('finishes the stream with a notice, records the failure and lets the next turn run', async () => {
    const { config } = loadConfig({
      DIFY_API_KEY: 'app-x',
      DIFY_API_BASE_URL: 'http://127.0.0.1:9/v1',
      DIFY_APP_MODE: 'chat',
    });
    const agent = config.agents.byId.get('default');
    if (agent === undefined) throw new Error('no agent');
    const logger = pino({ level: 'silent' });
    const http = axios.create();
    const modes = new AppModes(http, logger);
    const finished: string[] = [];
    const messages: MessageLog = {
      received: async () => undefined,
      finished: async (_id, f) => void finished.push(f.status),
      flush: async () => undefined,
      ratedAnswer: async () => undefined,
    };
    const conversations = {
      get: () => Promise.reject(new TypeError('boom')),
      set: async () => undefined,
      delete: async () => undefined,
      learned: () => undefined,
    };
    const runner = new TurnRunner({
      config,
      dify: { http: new DifyHttp(config.dify), axios: http, modes, logger },
      media: new TurnMedia({ config, files: new DifyFiles(http, new AppParameters(http, logger)), modes, logger }),
      conversations,
      messages,
      locks: new KeyedLock(),
      logger,
      now: Date.now,
    });
    const published: StreamSnapshot[] = [];
    const task = (id: string) => ({
      streamId: id,
      msgid: id,
      botKey: 'default',
      party: { aibotid: 'aib', userid: 'u', chattype: 'single' as const, chatid: undefined },
      query: { kind: 'ask' as const, pieces: [{ text: '你好' }], quote: undefined, attachments: [] },
      mediaKey: Buffer.alloc(32),
      agentId: 'default',
      agent,
      receivedAt: Date.now(),
      channel: { publish: async (s: StreamSnapshot) => void published.push(s), deliverLate: async () => true },
    });
    await expect(runner.run(task('s1'))).resolves.toBeUndefined();
    await expect(runner.run(task('s2'))).resolves.toBeUndefined();
    expect(published.filter((s) => s.finish).map((s) => s.content)).toEqual([
      DEFAULT_TEXTS.ANSWER_FAILED,
      DEFAULT_TEXTS.ANSWER_FAILED,
    ]);
    expect(finished).toEqual(['failed', 'failed']);
  });
});
