/**
 * How long an MCP tool call waits, and how it ends (hil-clients.md "The MCP TypeScript SDK client"): a
 * call outlives the client's request timeout only through progress notifications; a server-side timeout
 * expires the request; a cancelled or abandoned call cancels it. The real defaults are progress every
 * 15 s against the SDK's 60 s; here progress comes every 300 ms against a 1 s client timeout.
 */
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import { wsCardEvent, wsText } from '../../fakes/fakeWecomWs';
import type { Harness } from '../harness';
import { WS_BOT } from '../harness';
import { wsChat } from '../wsChat';
import { answerTo, cardOf, lastSeq, markdownOf, pushTo, updatedCard } from './hilKit';
import { type Connected, MCP_USER, connect, requestNamed, startMcpHarness, statusBecomes, structured } from './mcpKit';

const PROGRESS_MS = 300;
const CLIENT_TIMEOUT_MS = 1000;

describe('waiting MCP tool calls', () => {
  let h: Harness;
  let mcp: Connected;
  beforeAll(async () => {
    h = await startMcpHarness({ progressMs: PROGRESS_MS });
    mcp = await connect(h);
  });
  afterAll(async () => {
    await mcp.client.close();
    await h.close();
  });

  it('a wait 2.5× the client timeout survives through progress with resetTimeoutOnProgress', async () => {
    const seq = lastSeq(h);
    const progress: Progress[] = [];
    const started = Date.now();
    const call = mcp.client.callTool(
      { name: 'send_and_wait_reply', arguments: { message: '可以上线吗？' } },
      undefined,
      {
        timeout: CLIENT_TIMEOUT_MS,
        resetTimeoutOnProgress: true,
        onprogress: (p) => progress.push(p),
      },
    );
    const text = markdownOf(await pushTo(h, MCP_USER, seq));
    await new Promise((r) => setTimeout(r, 2500));
    await wsChat(h.ws!, wsText('可以', { userid: MCP_USER }));
    expect(structured(await call)).toMatchObject({ status: 'success', replies: [{ content: '可以' }] });
    expect(Date.now() - started).toBeGreaterThan(2500);
    expect(progress.length).toBeGreaterThanOrEqual(5);
    expect(progress.map((p) => p.progress)).toEqual(progress.map((_, i) => i + 1));
    expect((await requestNamed(h, text)).status).toBe('completed');
  });

  it('without progress the call fails at the client timeout; its request is cancelled and the card says so', async () => {
    const seq = lastSeq(h);
    const started = Date.now();
    const call = mcp.client.callTool(
      { name: 'request_approval', arguments: { question: '重启数据库？', chat_id: 'wsbot/mcpops' } },
      undefined,
      { timeout: CLIENT_TIMEOUT_MS },
    );
    const pushed = await pushTo(h, 'mcpops', seq);
    const card = cardOf(pushed);
    const request = await requestNamed(h, JSON.stringify(pushed.body?.['template_card']));
    await expect(call).rejects.toMatchObject({ code: -32001 });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(CLIENT_TIMEOUT_MS);
    expect(elapsed).toBeLessThan(CLIENT_TIMEOUT_MS + 1500);
    await statusBecomes(h, request.id, 'cancelled');
    const reqId = h.ws!.pushEvent(
      WS_BOT.botId,
      wsCardEvent(
        { cardType: 'button_interaction', eventKey: card.keys[0]!, taskId: card.taskId },
        { userid: 'mcpops' },
      ),
    );
    expect(updatedCard(await answerTo(h, reqId, 'aibot_respond_update_msg')).title).toBe('已取消');
  });

  it('a short server-side timeout: status timeout, and the request expired', async () => {
    const seq = lastSeq(h);
    const call = mcp.client.callTool({
      name: 'send_and_wait_reply',
      arguments: { message: '有人吗？', timeout_seconds: 1, project_name: 'p' },
    });
    const text = markdownOf(await pushTo(h, MCP_USER, seq));
    expect(structured(await call)).toEqual({
      status: 'timeout',
      replies: [],
      message: 'no reply within 1 s; the question was closed',
    });
    expect((await requestNamed(h, text)).status).toBe('expired');
    const approval = await mcp.client.callTool({
      name: 'request_approval',
      arguments: { question: '合并？', timeout_seconds: 0.5 },
    });
    expect(structured(approval)).toEqual({ status: 'expired', reason: null, responded_by: null });
  });

  it('a call cancelled with an AbortSignal cancels its request', async () => {
    const seq = lastSeq(h);
    const abort = new AbortController();
    const call = mcp.client.callTool({ name: 'request_information', arguments: { question: '版本号？' } }, undefined, {
      signal: abort.signal,
    });
    const request = await requestNamed(h, markdownOf(await pushTo(h, MCP_USER, seq)));
    abort.abort('changed my mind');
    await expect(call).rejects.toThrow();
    await statusBecomes(h, request.id, 'cancelled');
    // The next message in the chat is no longer taken as the answer.
    expect((await h.gateway.hil.requests.openInChat(request.target)).map((r) => r.id)).not.toContain(request.id);
  });

  it('a client that disconnects mid-wait abandons the call: its request is cancelled', async () => {
    const other = await connect(h);
    const seq = lastSeq(h);
    const call = other.client.callTool({ name: 'send_and_wait_reply', arguments: { message: '还在吗？' } });
    const request = await requestNamed(h, markdownOf(await pushTo(h, MCP_USER, seq)));
    await other.transport.close();
    await expect(call).rejects.toThrow();
    await statusBecomes(h, request.id, 'cancelled');
  });
});
