/**
 * A restart keeps conversation continuity and msgid dedupe (issue #4 scope 4): a gateway stops, a new
 * one starts on the same store, and the user's next message continues the same Dify conversation
 * while a retried msgid still gets its stream back. Run on the embedded store (on disk) and, when
 * TEST_DATABASE_URL is set (always in CI), on PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type FakeDify, startFakeDify } from '../fakes/fakeDify';
import { randomMsgid, textPayload } from '../fakes/fakeWecom';
import { createScratchPostgres, postgresTestUrl } from '../helpers/databases';
import { type HarnessOptions, startHarness } from './harness';

const POLL = { pollIntervalMs: 20, maxPolls: 500 };
const USER = 'wecom:aibFAKEBOT0001:restart-user';

async function restartScenario(dify: FakeDify, database: NonNullable<HarnessOptions['database']>): Promise<void> {
  const first = await startHarness({ dify, database });
  const msgid = randomMsgid();
  let firstStream: string;
  try {
    const t = await first.wecom().chat('记住：我的工号是 42', { ...POLL, userid: 'restart-user', msgid });
    expect(t.final?.finish).toBe(true);
    firstStream = t.first.id;
  } finally {
    await first.close();
  }
  const second = await startHarness({ dify, database });
  try {
    const client = second.wecom();
    const retry = await client.post(
      textPayload('记住：我的工号是 42', { aibotid: client.aibotid, userid: 'restart-user', msgid }),
    );
    expect(retry.reply?.['stream']).toMatchObject({ id: firstStream, finish: true });
    await client.chat('我的工号是多少？', { ...POLL, userid: 'restart-user' });
    const runs = dify.runRequests('app-chat').filter((r) => (r.body as { user: string }).user === USER);
    expect(runs).toHaveLength(2);
    const [conversation] = dify.conversationsOf('app-chat', USER);
    expect((runs[1]?.body as { conversation_id: string }).conversation_id).toBe(conversation);
  } finally {
    await second.close();
  }
}

describe('restart', () => {
  let dify: FakeDify;
  beforeEach(async () => {
    dify = await startFakeDify({ apps: [{ apiKey: 'app-chat', mode: 'chat' }] });
  });
  afterEach(() => dify.close());

  it('keeps continuity and dedupe on the embedded store', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'gateway-restart-'));
    try {
      await restartScenario(dify, { kind: 'embedded', dataDir });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60000);

  const url = postgresTestUrl();
  if (url !== undefined || process.env['CI'] === 'true') {
    it('keeps continuity and dedupe on PostgreSQL', async () => {
      if (url === undefined)
        throw new Error('CI=true but TEST_DATABASE_URL is not set: PostgreSQL tests must not be skipped in CI');
      const scratch = await createScratchPostgres(url);
      try {
        await restartScenario(dify, { kind: 'postgres', url: scratch.url });
      } finally {
        await scratch.drop();
      }
    }, 60000);
  }
});
