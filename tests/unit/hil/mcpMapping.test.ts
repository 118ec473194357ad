import { HIL_STATUSES, type HilRequest, type HilStatus } from '../../../app/hil/store/hilRequests';
import { approvalResult, informationResult, newRequest, waitReplyResult } from '../../../app/hil/services/mcpMapping';

const T0 = Date.UTC(2026, 0, 5, 8);

function request(status: HilStatus, extra: Partial<HilRequest> = {}): HilRequest {
  return {
    ...newRequest(
      'agents',
      { botKey: 'wsbot', chattype: 'single', chatid: 'lisi' },
      {
        loopType: 'approval',
        context: { question: 'q' },
        taskId: '',
        approvers: [],
        timeoutSeconds: 60,
        chatId: 'lisi',
      },
      T0,
    ),
    id: '4a1f0c9e-0000-4000-8000-000000000001',
    status,
    response: null,
    feedback: null,
    respondedBy: null,
    respondedAt: null,
    shortId: '4a1f0c9e',
    createdAt: T0,
    updatedAt: T0,
    ...extra,
  };
}

describe('MCP tool call ↔ hub request', () => {
  it("makes requests in hil-mcp's convention, the wait capped at a day", () => {
    const target = { botKey: '*', chattype: 'group' as const, chatid: 'wrgroup' };
    const spec = { loopType: 'information' as const, context: {}, taskId: 'p', approvers: [], chatId: 'wrgroup' };
    const made = newRequest('agents', target, { ...spec, timeoutSeconds: undefined }, T0);
    expect(made).toMatchObject({
      owner: 'agents',
      platform: 'hil-mcp',
      conversationId: '*|group|wrgroup',
      taskId: 'p',
      metadata: { capture: 'next_message', source: 'mcp', chat_id: 'wrgroup' },
      delivery: 'queued',
      expiresAt: T0 + 1_200_000,
    });
    expect(made.requestId).not.toBe(newRequest('agents', target, { ...spec, timeoutSeconds: 1 }, T0).requestId);
    expect(newRequest('agents', target, { ...spec, timeoutSeconds: 1e9 }, T0).expiresAt).toBe(T0 + 86_400_000);
    expect(newRequest('agents', target, { ...spec, loopType: 'approval', timeoutSeconds: 1 }, T0).metadata).toEqual({
      source: 'mcp',
      chat_id: 'wrgroup',
    });
  });

  it('an approval is approved only by an explicit decision: every other end reads expired or cancelled', () => {
    const results = Object.fromEntries(HIL_STATUSES.map((s) => [s, approvalResult(request(s)).status]));
    expect(results).toEqual({
      pending: 'cancelled',
      approved: 'approved',
      rejected: 'rejected',
      expired: 'expired',
      error: 'cancelled',
      completed: 'cancelled',
      inprogress: 'cancelled',
      cancelled: 'cancelled',
    });
    const decided = request('rejected', { response: { decision: 'rejected', reason: '太冒险' }, respondedBy: 'boss' });
    expect(approvalResult(decided)).toEqual({ status: 'rejected', reason: '太冒险', responded_by: 'boss' });
  });

  it("replies are hil-mcp Replies; an operator's answer without a reply row becomes one", () => {
    const at = T0 + 5000;
    const replied = request('completed', { response: { information: '好', text: '好' }, respondedBy: 'lisi' });
    expect(waitReplyResult(replied, [{ requestId: replied.id, msgid: 'm1', userid: 'lisi', text: '好', at }])).toEqual({
      status: 'success',
      message: 'the person replied',
      replies: [
        {
          msg_type: 'text',
          content: '好',
          image_url: null,
          from_user: { userid: 'lisi', name: 'lisi', alias: '' },
          timestamp: new Date(at).toISOString(),
        },
      ],
    });
    const byOperator = request('completed', { response: { text: '已处理' }, respondedBy: 'ops', respondedAt: at });
    expect(waitReplyResult(byOperator, []).replies).toMatchObject([
      { content: '已处理', from_user: { userid: 'ops' } },
    ]);
    expect(waitReplyResult(request('cancelled'), [])).toMatchObject({ status: 'error', replies: [] });
    expect(waitReplyResult(request('expired'), []).message).toMatch(/^no reply within 60 s; .*without being shown/);
    expect(informationResult(byOperator)).toEqual({ status: 'completed', answer: '已处理', responded_by: 'ops' });
    expect(informationResult(request('expired'))).toEqual({ status: 'expired', answer: null, responded_by: null });
  });
});
