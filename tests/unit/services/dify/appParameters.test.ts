import axios from 'axios';
import pino from 'pino';
import type { AgentConfig } from '../../../../app/config';
import { AppParameters } from '../../../../app/services/dify/appParameters';
import { capabilitiesFrom } from '../../../../app/services/dify/difyFiles';
import { openingFrom } from '../../../../app/services/dify/difyFollowUps';
import { type FakeDify, startFakeDify } from '../../../fakes/fakeDify';

/** One reader of GET /parameters for the file settings and the welcome card (dify-api.md §6.9). */
describe('AppParameters', () => {
  let dify: FakeDify;
  let now = 0;
  const agent = (apiKey: string): AgentConfig =>
    ({ id: apiKey, baseUrl: dify.baseUrl, apiKey }) as unknown as AgentConfig;
  const reads = (): number => dify.requests.filter((r) => r.path === '/parameters').length;

  beforeAll(async () => {
    dify = await startFakeDify({
      apps: [
        {
          apiKey: 'app-p',
          mode: 'chat',
          parameters: {
            opening_statement: ' 你好 ',
            suggested_questions: ['问一'],
            file_upload: { enabled: true, allowed_file_types: ['image'] },
          },
        },
      ],
    });
  });
  afterAll(() => dify.close());

  it('reads once for both uses within ten minutes, then again', async () => {
    const parameters = new AppParameters(axios.create(), pino({ level: 'silent' }), () => now);
    const before = reads();
    const forFiles = await parameters.read(agent('app-p'), 1000);
    const forWelcome = await parameters.read(agent('app-p'), 1000);
    expect(reads() - before).toBe(1);
    expect(capabilitiesFrom(forFiles?.data).accepts('image')).toBe(true);
    expect(capabilitiesFrom(forFiles?.data).accepts('document')).toBe(false);
    expect(openingFrom(forWelcome?.data)).toEqual({ statement: '你好', questions: ['问一'] });
    now += 10 * 60_000;
    await parameters.read(agent('app-p'), 1000);
    expect(reads() - before).toBe(2);
  });

  it('does not remember a failed read', async () => {
    const parameters = new AppParameters(axios.create(), pino({ level: 'silent' }), () => now);
    const before = reads();
    expect(await parameters.read(agent('app-unknown'), 1000)).toBeUndefined();
    expect(await parameters.read(agent('app-unknown'), 1000)).toBeUndefined();
    expect(reads() - before).toBe(2);
  });
});
