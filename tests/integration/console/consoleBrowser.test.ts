/**
 * The operator console in headless Chromium against the real gateway (issue #17 "Done when"): log in,
 * answer a request made through the GoHumanLoop API, see a WeCom card click land without a reload, a
 * refused password, the message log, and axe-core on every page; screenshots under test-artifacts/.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { wsCardEvent, wsText } from '../../fakes/fakeWecomWs';
import { approvalContext } from '../../fakes/goHumanLoop';
import { type Harness, WS_BOT } from '../harness';
import { wsChat } from '../wsChat';
import { answerTo, cardOf, ghl, lastSeq, pushTo, startHilHarness, updatedCard, waitConnected } from '../hil/hilKit';
import { launchBrowser, logIn, screenshot, seriousViolations } from './consoleKit';

jest.setTimeout(60_000);

const BOT = { bot: WS_BOT.key };

describe('the operator console in a browser', () => {
  let h: Harness;
  let chrome: Browser;
  let context: BrowserContext;
  let page: Page;
  /** What Chromium reported as refused by the Content-Security-Policy: must stay empty. */
  const refused: string[] = [];

  beforeAll(async () => {
    [h, chrome] = await Promise.all([startHilHarness(), launchBrowser()]);
    await waitConnected(h);
    context = await chrome.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
  });
  afterEach(() => expect(refused).toEqual([]));
  afterAll(async () => {
    await context?.close();
    await chrome?.close();
    await h?.close();
  });

  async function askApproval(userid: string, question: string) {
    const client = ghl(h);
    const seq = lastSeq(h);
    const { sent, answer } = await client.request('approval', approvalContext(question), { ...BOT, userid });
    expect(answer.json).toMatchObject({ success: true });
    const card = cardOf(await pushTo(h, userid, seq));
    const id = (await h.gateway.hil.requests.byClientIds('agents', sent.platform, sent.conversationId, sent.requestId))!
      .id;
    return { client, sent, card, id };
  }

  it('refuses a wrong password with the form again (401) and no cookie', async () => {
    const status = await logIn(page, h.url, 'not the password');
    expect(status).toBe(401);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('邮箱或密码不正确');
    expect(await context.cookies()).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-login');
  });

  it('logs in, shows a pending request and approves it in the page: GoHumanLoop sees approved', async () => {
    const { client, sent, id } = await askApproval('zhangsan', '可以发布 v2 吗？');
    expect(await logIn(page, h.url)).toBe(303);
    expect(new URL(page.url()).pathname).toBe('/console/requests');
    const row = page.locator(`tr[data-id="${id}"]`);
    await expect(row.getAttribute('data-status')).resolves.toBe('pending');
    await expect(row.textContent()).resolves.toContain('可以发布 v2 吗？');
    expect(await seriousViolations(page)).toEqual([]);
    await row.getByRole('link').click();
    await page.waitForURL(`**/console/requests/${id}`);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-request-detail');
    await page.getByLabel('理由（可选）').fill('已检查');
    await page.getByRole('button', { name: '批准', exact: true }).click();
    await page.waitForURL(`**/console/requests/${id}?done=1`);
    await expect(page.locator('#request-status').textContent()).resolves.toBe('approved');
    const result = await client.waitForResult(sent);
    expect(result).toMatchObject({ status: 'approved', response: { decision: 'approved', reason: '已检查' } });
  });

  it('shows a WeCom card click answering another request without a reload', async () => {
    const { card, id } = await askApproval('wangwu', '可以重启数据库吗？');
    await page.goto(`${h.url}/console/requests`);
    const row = page.locator(`tr[data-id="${id}"]`);
    await expect(row.getAttribute('data-status')).resolves.toBe('pending');
    await page.evaluate(() => {
      (globalThis as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    const reqId = h.ws!.pushEvent(
      WS_BOT.botId,
      wsCardEvent(
        { cardType: 'button_interaction', eventKey: card.keys[1] as string, taskId: card.taskId },
        { userid: 'wangwu' },
      ),
    );
    expect(updatedCard(await answerTo(h, reqId, 'aibot_respond_update_msg')).title).toContain('已拒绝');
    await page.waitForSelector(`tr[data-id="${id}"][data-status="rejected"]`, { timeout: 8000 });
    expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await screenshot(page, 'console-requests');
  });

  it('batch-approves ticked requests', async () => {
    const first = await askApproval('zhaoliu', '批量一');
    const second = await askApproval('zhaoliu', '批量二');
    await page.goto(`${h.url}/console/requests?status=pending`);
    await page.getByLabel(`选择请求 ${(await h.gateway.hil.requests.byId(first.id))!.shortId}`).check();
    await page.getByLabel(`选择请求 ${(await h.gateway.hil.requests.byId(second.id))!.shortId}`).check();
    await page.getByRole('button', { name: '批量批准' }).click();
    await page.waitForURL('**/console/requests?batch=2-0');
    await expect(page.getByRole('status').textContent()).resolves.toContain('已处理 2 条');
    await expect(first.client.waitForResult(first.sent)).resolves.toMatchObject({ status: 'approved' });
    await expect(second.client.waitForResult(second.sent)).resolves.toMatchObject({ status: 'approved' });
  });

  it('shows a chat that just happened in the message log, without its text by default', async () => {
    await wsChat(h.ws!, wsText('今天天气怎么样', { userid: 'lisi' }));
    await page.goto(`${h.url}/console/messages?user=lisi`);
    // The message log is written in batches (store/batchWriter): the finished row lands a moment after the answer.
    const answered = page.locator('#message-rows tr', { hasText: 'answered' });
    for (let i = 0; i < 50 && (await answered.count()) === 0; i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      await page.reload();
    }
    const rows = page.locator('#message-rows tr');
    await expect(rows.first().textContent()).resolves.toMatch(/lisi[\s\S]*text[\s\S]*answered/);
    expect(await page.content()).not.toContain('今天天气怎么样');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-messages');
  });

  it('shows the health page: the websocket bot connected, the chart and the HIL counts', async () => {
    await page.goto(`${h.url}/console/health`);
    await expect(page.locator('#bots').textContent()).resolves.toMatch(/wsbot[\s\S]*connected/);
    expect(await page.locator('svg[role="img"] rect').count()).toBeGreaterThan(1);
    await expect(page.locator('#hil-stats').textContent()).resolves.toContain('approved');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-health');
  });

  it('logs out: the pages send the browser back to the login form', async () => {
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL('**/console/login');
    await page.goto(`${h.url}/console/requests`);
    expect(new URL(page.url()).pathname).toBe('/console/login');
  });
});
