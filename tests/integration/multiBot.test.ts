/**
 * Several bots on one gateway, each with its own credentials and agent (WECOM_BOTS,
 * WECOM_AIBOT_AGENT_MAPPING), and the classic XML envelope (wecom-aibot-protocol.md §13).
 */
import { loopbackRequest } from '../fakes/shared/loopbackRequest';
import { BOT, type Harness, SECOND_BOT, startHarness } from './harness';

const POLL = { pollIntervalMs: 20, maxPolls: 500 };
/** The classic-callback vectors TV-1/TV-2 of the protocol reference (§14.1). */
const CLASSIC = { token: 'QDG6eK', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', receiveId: 'wx5823bf96d3bd56c7' };
const TV2_ENCRYPT =
  'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==';

describe('several bots and agents', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      apps: [
        { apiKey: 'app-chat', mode: 'chat' },
        { apiKey: 'app-sales', mode: 'agent-chat' },
      ],
      agents: { sales: { apiKey: 'app-sales' } },
      env: {
        WECOM_BOTS: JSON.stringify({ sales: { ...SECOND_BOT, botName: '销售助手' }, classic: CLASSIC }),
        WECOM_AIBOT_AGENT_MAPPING: JSON.stringify({ aibSALES: 'sales' }),
      },
    });
  });
  afterAll(() => h.close());

  it('routes each bot to its own agent with its own credentials', async () => {
    const sales = await h.wecom('/wecom/callback/sales', SECOND_BOT, 'aibSALES').chat('@销售助手 报价多少', { ...POLL, chattype: 'group' });
    expect(sales.final?.content).toBe('收到：报价多少');
    expect(h.dify.runRequests('app-sales')).toHaveLength(1);
    const other = await h.wecom('/wecom/callback/anything', BOT).chat('你好', POLL);
    expect(other.final?.content).toBe('收到：你好');
    expect(h.dify.runRequests('app-chat')).toHaveLength(1);
  });

  it('rejects a callback signed with another bot\'s token', async () => {
    const client = h.wecom('/wecom/callback/sales', BOT, 'aibSALES');
    const result = await client.post({ msgtype: 'text', msgid: 'm1', aibotid: 'aibSALES', chattype: 'single', from: { userid: 'u' }, text: { content: 'x' } });
    expect(result.status).toBe(401);
  });

  it('decodes the classic XML envelope and answers its (unsupported) XML message with an empty 200', async () => {
    const body = `<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><AgentID><![CDATA[218]]></AgentID><Encrypt><![CDATA[${TV2_ENCRYPT}]]></Encrypt></xml>`;
    const query = 'msg_signature=477715d11cdb4164915debcba66cb864d751f3e6&timestamp=1409659813&nonce=1372623149';
    const res = await loopbackRequest(`${h.url}/wecom/callback/classic?${query}`, { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    // The same body on an AI-bot path fails the receiveid check: 400, not 500.
    const wrong = await loopbackRequest(`${h.url}/wecom/callback/other?${query}`, { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body });
    expect(wrong.status).toBe(400);
  });
});
