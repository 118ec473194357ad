/**
 * Several bots on one gateway, each with its own credentials and agent (WECOM_BOTS,
 * WECOM_AIBOT_AGENT_MAPPING), and the classic XML envelope (wecom-aibot-protocol.md §13).
 */
import { loopbackRequest } from '../fakes/shared/loopbackRequest';
import { TV2 } from '../fixtures/wecom/vectors';
import { BOT, type Harness, SECOND_BOT, startHarness } from './harness';

const POLL = { pollIntervalMs: 20, maxPolls: 500 };
/** A classic self-built-app bot with the credentials of the official vectors TV-1/TV-2 (§14.1). */
const CLASSIC = { token: TV2.token, encodingAesKey: TV2.encodingAesKey, receiveId: TV2.receiveId };

describe('several bots and agents', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      apps: [
        { apiKey: 'app-chat', mode: 'chat' },
        { apiKey: 'app-sales', mode: 'agent-chat' },
      ],
      agents: {
        sales: {
          apiKey: 'app-sales',
          inputs: {
            asker: '{{userid}}',
            chat: '{{chattype}}:{{chatid}}',
            via: '{{bot}}/{{aibotid}}',
            msg: '{{msgid}}',
          },
        },
      },
      env: {
        WECOM_BOTS: JSON.stringify({ sales: { ...SECOND_BOT, botName: '销售助手' }, classic: CLASSIC }),
        WECOM_AIBOT_AGENT_MAPPING: JSON.stringify({ aibSALES: 'sales' }),
      },
    });
  });
  afterAll(() => h.close());

  it('routes each bot to its own agent with its own credentials', async () => {
    const sales = await h
      .wecom('/wecom/callback/sales', SECOND_BOT, 'aibSALES')
      .chat('@销售助手 报价多少', { ...POLL, chattype: 'group' });
    expect(sales.final?.content).toBe('收到：报价多少');
    expect(h.dify.runRequests('app-sales')).toHaveLength(1);
    const other = await h.wecom('/wecom/callback/anything', BOT).chat('你好', POLL);
    expect(other.final?.content).toBe('收到：你好');
    expect(h.dify.runRequests('app-chat')).toHaveLength(1);
  });

  it('fills the agent’s input placeholders with the user, chat, bot and msgid of each message', async () => {
    const client = h.wecom('/wecom/callback/sales', SECOND_BOT, 'aibSALES');
    const before = h.dify.runRequests('app-sales').length;
    await client.chat('@销售助手 谁在问', { ...POLL, chattype: 'group', chatid: 'wrGROUP42', userid: 'lisi' });
    const run = h.dify.runRequests('app-sales')[before];
    const inputs = (run?.body as { inputs?: Record<string, string> } | undefined)?.inputs;
    expect(inputs).toMatchObject({ asker: 'lisi', chat: 'group:wrGROUP42', via: 'sales/aibSALES' });
    expect(inputs?.['msg']).toMatch(/^[^{}]+$/);
  });

  it("rejects a callback signed with another bot's token", async () => {
    const client = h.wecom('/wecom/callback/sales', BOT, 'aibSALES');
    const result = await client.post({
      msgtype: 'text',
      msgid: 'm1',
      aibotid: 'aibSALES',
      chattype: 'single',
      from: { userid: 'u' },
      text: { content: 'x' },
    });
    expect(result.status).toBe(401);
  });

  it('decodes the classic XML envelope and answers its (unsupported) XML message with an empty 200', async () => {
    const body = `<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><AgentID><![CDATA[218]]></AgentID><Encrypt><![CDATA[${TV2.ciphertext}]]></Encrypt></xml>`;
    const query = `msg_signature=${TV2.signature}&timestamp=${TV2.timestamp}&nonce=${TV2.nonce}`;
    const res = await loopbackRequest(`${h.url}/wecom/callback/classic?${query}`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml' },
      body,
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    // The same body on an AI-bot path fails the receiveid check: 400, not 500.
    const wrong = await loopbackRequest(`${h.url}/wecom/callback/other?${query}`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml' },
      body,
    });
    expect(wrong.status).toBe(400);
  });
});
