/**
 * A batch outlives its gateway (issue #15 scope 6): the first interaction is answered, the gateway stops,
 * a new one starts on the same store and the same WeCom long-connection server, the second interaction is
 * answered there, and the webhook fires once, from the new process. Runs on a database of the embedded
 * test server and, when TEST_DATABASE_URL is set (always in CI), on PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { type FakeDify, startFakeDify } from '../../fakes/fakeDify';
import { type FakeWecomWs, WS_BOT_ID, startFakeWecomWs } from '../../fakes/fakeWecomWs';
import { createScratchPostgres, embeddedTestUrl, postgresTestUrl } from '../../helpers/databases';
import { type Harness, WS_BOT, startHarness } from '../harness';
import { waitConnected } from './hilKit';
import {
  type Receiver,
  WEBHOOK_SECRET,
  api,
  clickCard,
  humanInput,
  interactionId,
  interactionsEnv,
  quoteReply,
  signatureValid,
  startReceiver,
  waitPushes,
  yesNo,
} from './interactionsKit';

async function restartScenario(url: string, dify: FakeDify, ws: FakeWecomWs, receiver: Receiver): Promise<void> {
  const start = async (): Promise<Harness> => {
    const h = await startHarness({
      dify,
      websocket: { server: ws },
      database: { kind: 'postgres', url },
      env: interactionsEnv(),
    });
    await waitConnected(h);
    return h;
  };
  const [a, b] = [interactionId(), interactionId()];
  const snapshot = randomBytes(3688);
  const userid = `restart-${randomBytes(3).toString('hex')}`;
  const first = await start();
  let batchId: string;
  let card;
  try {
    const posted = await api(first, 'POST', '', {
      interactions: [humanInput(a, '先回答这个'), yesNo(b, '再批准这个？')],
      target: `${WS_BOT.key}/single:${userid}`,
      snapshot: { serialization_version: '1.0', serialized_bytes_b64: snapshot.toString('base64') },
      callback_url: receiver.url,
    });
    batchId = posted.json['batch_id'] as string;
    const [question, pushedCard] = await waitPushes(first, userid, 2);
    card = pushedCard;
    await quoteReply(first, userid, question!, '第一个答案');
    expect((await api(first, 'GET', `/${batchId}`)).json).toMatchObject({ status: 'waiting', pending: [b] });
  } finally {
    await first.close();
  }
  expect(receiver.calls).toHaveLength(0);
  const second = await start();
  try {
    await clickCard(second, userid, card!, 0);
    const [call] = await receiver.waitForCalls(1);
    expect(signatureValid(call!, WEBHOOK_SECRET)).toBe(true);
    expect(call!.json).toMatchObject({
      batch_id: batchId,
      status: 'ready',
      feedback_data: [
        { interaction_id: a, data: '第一个答案' },
        { interaction_id: b, data: 'yes' },
      ],
      snapshot: { serialization_version: '1.0', serialized_bytes_b64: snapshot.toString('base64') },
    });
    // The receiver answers before the sender records the delivery: the sweep that follows must find it sent.
    await new Promise((r) => setTimeout(r, 3500));
    expect(second.logs.some((l) => l['msg'] === 'interaction webhook delivered' && l['batch'] === batchId)).toBe(true);
    expect(receiver.calls).toHaveLength(1);
  } finally {
    await second.close();
  }
}

describe('interactions across a restart', () => {
  let dify: FakeDify;
  let ws: FakeWecomWs;
  let receiver: Receiver;
  beforeAll(async () => {
    dify = await startFakeDify({ apps: [{ apiKey: 'app-chat', mode: 'chat' }] });
    ws = await startFakeWecomWs({ bots: { [WS_BOT_ID]: WS_BOT.secret } });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await Promise.all([dify.close(), ws.close(), receiver.close()]);
  });
  beforeEach(() => receiver.calls.splice(0));

  const servers: Array<[string, () => string | undefined]> = [
    ['the embedded test server', embeddedTestUrl],
    ['PostgreSQL', postgresTestUrl],
  ];
  for (const [name, urlOf] of servers) {
    const url = urlOf();
    if (url === undefined && process.env['CI'] !== 'true') continue;
    it(`answers on both sides of a restart and calls back once, from the new process (${name})`, async () => {
      if (url === undefined)
        throw new Error('CI=true but TEST_DATABASE_URL is not set: PostgreSQL must not be skipped');
      const scratch = await createScratchPostgres(url);
      try {
        await restartScenario(scratch.url, dify, ws, receiver);
      } finally {
        await scratch.drop();
      }
    }, 60000);
  }
});
