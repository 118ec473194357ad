/**
 * The self-built app's callback and its API client (issue #16) through real HTTP: the URL verification
 * GET, a wrong signature, a malformed body, a duplicate sys_approval_change applied once, an expired
 * access token refreshed once for concurrent callers, and a missed callback healed by the poll.
 */
import { APP, changeXml } from '../../fakes/fakeWecomApi';
import { postAppCallback, postRawAppCallback, verifyAppUrl } from '../../fakes/fakeWecomApi/callbacks';
import { approvalContext } from '../../fakes/goHumanLoop';
import { ghl } from './hilKit';
import { type OaHarness, lastSpNo, outcomesOf, sendChange, startOaHarness } from './oaKit';

describe('the WeCom app callback', () => {
  let o: OaHarness;
  beforeAll(async () => {
    o = await startOaHarness();
  });
  afterAll(() => o.close());

  it('URL verification: the decrypted echostr, byte-exact, as text', async () => {
    const answer = await verifyAppUrl(o.h.url, '1616140317555161061');
    expect(answer).toMatchObject({ status: 200, body: '1616140317555161061' });
    expect(answer.contentType).toMatch(/^text\/plain/);
  });

  it('a wrong signature is 401, on GET and POST, and changes nothing', async () => {
    expect((await verifyAppUrl(o.h.url, '42', true)).status).toBe(401);
    const client = ghl(o.h);
    const { sent } = await client.request('approval', approvalContext('伪造？'), {});
    const spNo = lastSpNo(o.api);
    const forged = changeXml({ ...o.api.approval(spNo), status: 2 }, APP.corpId, APP.agentId, 1765000000);
    expect((await postAppCallback(o.h.url, forged, true)).status).toBe(401);
    expect((await client.status(sent)).parsed.status).toBe('pending');
  });

  it('a malformed body is 400', async () => {
    expect((await postRawAppCallback(o.h.url, '')).status).toBe(400);
    expect((await postRawAppCallback(o.h.url, '<xml><nothing/></xml>')).status).toBe(400);
    expect((await postRawAppCallback(o.h.url, 'not xml')).status).toBe(400);
  });

  it('other messages and events of the app are answered "success" and ignored', async () => {
    const xml = `<xml><ToUserName><![CDATA[${APP.corpId}]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1765000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content><MsgId>1</MsgId><AgentID>${APP.agentId}</AgentID></xml>`;
    expect(await postAppCallback(o.h.url, xml)).toMatchObject({ status: 200, body: 'success' });
  });

  it('a duplicate event (WeCom retries) is applied once', async () => {
    const client = ghl(o.h);
    const { sent } = await client.request('approval', approvalContext('重复？'), { approverid: 'dup' });
    const spNo = lastSpNo(o.api);
    o.api.decide(spNo, 2, '好');
    const answers = await Promise.all([sendChange(o, spNo), sendChange(o, spNo)]);
    expect(answers.map((a) => a.body)).toEqual(['success', 'success']);
    await sendChange(o, spNo);
    const first = await client.waitForResult(sent);
    expect(first).toMatchObject({ status: 'approved', responded_by: 'dup' });
    const outcomes = await outcomesOf(o.h, spNo, 3);
    expect(outcomes).toHaveLength(3);
    expect(outcomes.filter((x) => x === 'applied')).toHaveLength(1);
    expect(outcomes.filter((x) => x === 'duplicate')).toHaveLength(2);
    expect((await client.status(sent)).parsed.responded_at).toBe(first.responded_at);
  });

  it('an expired token is fetched again once for concurrent callers, and every call is retried', async () => {
    const client = ghl(o.h);
    await client.request('approval', approvalContext('热身'), {});
    const fetches = o.api.tokenFetches;
    o.api.expireTokens();
    o.api.expiredDelayMs = 200;
    const asked = await Promise.all(
      ['一', '二', '三', '四'].map((q) => client.request('approval', approvalContext(q), {})),
    );
    expect(asked.map((a) => (a.answer.json as { status: string }).status)).toEqual([
      'pending',
      'pending',
      'pending',
      'pending',
    ]);
    expect(o.api.expiredCalls).toBe(4);
    expect(o.api.tokenFetches).toBe(fetches + 1);
  });
});

describe('the healing poll (WECOM_APPROVAL_POLL_SECONDS=1)', () => {
  let o: OaHarness;
  beforeAll(async () => {
    o = await startOaHarness({ WECOM_APPROVAL_POLL_SECONDS: '1' });
  });
  afterAll(() => o.close());

  it('a callback that never came is healed by getapprovaldetail', async () => {
    const client = ghl(o.h);
    const { sent } = await client.request('approval', approvalContext('没有回调？'), { approverid: 'quiet' });
    const spNo = lastSpNo(o.api);
    o.api.decide(spNo, 3, '不同意', { userid: 'quiet', text: '补充材料', time: 1765000200 });
    const result = await client.waitForResult(sent, 5000);
    expect(result).toMatchObject({
      status: 'rejected',
      responded_by: 'quiet',
      response: { decision: 'rejected', reason: '不同意', comment: '补充材料' },
      feedback: '补充材料',
    });
    expect(o.api.detailReads).toBeGreaterThan(0);
    expect(await outcomesOf(o.h, spNo, 1)).toEqual(['applied']);
    // The late callback is a duplicate now.
    await sendChange(o, spNo);
    expect(await outcomesOf(o.h, spNo, 2)).toEqual(['applied', 'duplicate']);
  });
});
