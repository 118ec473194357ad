import { ConsoleQueries } from '../../../app/console/store/consoleQueries';
import type { FinishedMessage } from '../../../app/store/messageLog';
import { migrate } from '../../../app/store/migrations';
import { MIGRATIONS } from '../../../app/store/schema';
import { SqlMessageLog } from '../../../app/store/sqlMessageLog';
import { forEachDatabase } from '../../helpers/databases';
import { receivedMessage } from '../store/storeTestKit';

const T0 = Date.UTC(2026, 11, 6, 12, 0, 0);
const MIN = 60_000;

function finished(status: FinishedMessage['status'], cause?: string): FinishedMessage {
  return {
    status,
    cause,
    query: 'secret question',
    answer: 'secret answer',
    answerBytes: 13,
    images: 1,
    delivery: 'stream',
    firstTokenMs: 300,
    durationMs: 900,
    difyMessageId: undefined,
    difyUser: undefined,
  };
}

forEachDatabase('ConsoleQueries', (getDb) => {
  let queries: ConsoleQueries;
  beforeAll(async () => {
    await migrate(getDb(), MIGRATIONS);
    const log = new SqlMessageLog(getDb(), (err) => {
      throw err;
    });
    const rows: Array<[string, number, string, string, FinishedMessage]> = [
      ['s1', T0 - 50 * MIN, 'alice', 'agent-1', finished('answered')],
      ['s2', T0 - 50 * MIN + 5_000, 'bob', 'agent-1', finished('failed', 'dify_http_500')],
      ['s3', T0 - 2 * MIN, 'alice', 'agent-1', finished('partial', 'idle_timeout')],
      ['s4', T0 - 2 * MIN + 1_000, 'alice', 'agent-2', finished('answered')],
      ['s5', T0 - 2 * 3_600_000, 'carol', 'agent-2', finished('failed', 'old_failure')],
    ];
    for (const [streamId, receivedAt, userid, agentId] of rows)
      await log.received(receivedMessage({ streamId, msgid: streamId, receivedAt, userid, agentId }));
    await log.flush();
    for (const [streamId, , , , outcome] of rows) await log.finished(streamId, outcome);
    await log.flush();
    queries = new ConsoleQueries(getDb());
  });

  it('counts turns and failures per minute over the hour, in one grouped query', async () => {
    expect(await queries.perMinute(T0 - 3_600_000)).toEqual([
      { minute: T0 - 50 * MIN, turns: 2, failures: 1 },
      { minute: T0 - 2 * MIN, turns: 2, failures: 0 },
    ]);
  });

  it("gives each agent's newest failed or partial turn in the window, by cause", async () => {
    const errors = await queries.lastErrors(T0 - 3_600_000);
    expect(errors).toEqual([{ agentId: 'agent-1', cause: 'idle_timeout', at: T0 - 2 * MIN }]);
    expect(await queries.lastErrors(T0 - 3 * 3_600_000)).toContainEqual({
      agentId: 'agent-2',
      cause: 'old_failure',
      at: T0 - 2 * 3_600_000,
    });
  });

  it('lists newest first, searched by user and status; the text only when asked for', async () => {
    const hidden = await queries.messages({ userid: 'alice', withText: false, limit: 10 });
    expect(hidden.map((m) => m.streamId)).toEqual(['s4', 's3', 's1']);
    expect(hidden.every((m) => m.query === null && m.answer === null)).toBe(true);
    const failed = await queries.messages({ status: 'failed', withText: true, limit: 10 });
    expect(failed.map((m) => [m.streamId, m.cause, m.query])).toEqual([
      ['s2', 'dify_http_500', 'secret question'],
      ['s5', 'old_failure', 'secret question'],
    ]);
    expect(failed[0]).toMatchObject({ durationMs: 900, firstTokenMs: 300, images: 1, agentId: 'agent-1' });
  });
});
