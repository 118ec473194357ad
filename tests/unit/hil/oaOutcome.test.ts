import type { ApprovalState } from '../../../app/services/wecomApp/approvalState';
import { outcomeOf } from '../../../app/hil/services/oaOutcome';
import type { HilRequest, LoopType } from '../../../app/hil/store/hilRequests';

const NOW = 1_765_000_000_000;

function request(loopType: LoopType): HilRequest {
  return { loopType } as HilRequest;
}

/** Two steps: a 会签 step both approved, then a step where the first approver is undecided and the second rejected. */
function state(spStatus: number, comments: ApprovalState['comments'] = []): ApprovalState {
  return {
    spNo: '202612000001',
    spStatus,
    records: [
      {
        spStatus: 2,
        details: [
          { userid: 'lead', speech: 'ok', spStatus: 2, time: 1_765_000_001 },
          { userid: 'peer', speech: '', spStatus: 2, time: 1_765_000_002 },
        ],
      },
      {
        spStatus,
        details: [
          { userid: 'cfo', speech: '', spStatus: 1, time: 0 },
          {
            userid: 'ceo',
            speech: spStatus === 3 ? '太贵' : '',
            spStatus: spStatus === 3 ? 3 : 1,
            time: 1_765_000_100,
          },
        ],
      },
    ],
    comments,
  };
}

describe('outcomeOf (SpStatus → the request, hil.md §3.4 item 4)', () => {
  it('1 (审批中) applies nothing', () => {
    expect(outcomeOf(request('approval'), state(1), NOW)).toBeUndefined();
  });

  it('3: the approver who rejected is the one who answered, at their SpTime', () => {
    expect(outcomeOf(request('approval'), state(3), NOW)).toEqual({
      status: 'rejected',
      response: {
        decision: 'rejected',
        reason: '太贵',
        text: '太贵',
        speech: '太贵',
        comment: null,
        userid: 'ceo',
        channel: 'wecom_oa',
        sp_no: '202612000001',
      },
      feedback: null,
      respondedBy: 'ceo',
      respondedAt: 1_765_000_100_000,
    });
  });

  it('2 on information: completed; without a speech the last comment is the information', () => {
    const comments = [
      { userid: 'a', text: '先看', time: 1 },
      { userid: 'b', text: '五万', time: 2 },
    ];
    const s = {
      ...state(2, comments),
      records: [{ spStatus: 2, details: [{ userid: 'b', speech: '', spStatus: 2, time: 5 }] }],
    };
    expect(outcomeOf(request('information'), s, NOW)).toMatchObject({
      status: 'completed',
      response: { information: '五万', comment: '五万', userid: 'b' },
      feedback: '五万',
      respondedBy: 'b',
      respondedAt: 5000,
    });
  });

  it('4 → cancelled by nobody in particular; 6, 7, 10 → error', () => {
    expect(outcomeOf(request('approval'), state(4), NOW)).toMatchObject({
      status: 'cancelled',
      respondedBy: null,
      respondedAt: NOW,
    });
    for (const code of [6, 7, 10])
      expect(outcomeOf(request('approval'), state(code), NOW)).toMatchObject({
        status: 'error',
        response: { error: `the WeCom approval ended with status ${code}` },
      });
  });
});
