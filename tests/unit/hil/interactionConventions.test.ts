import { feedbackDataOf, loopTypeOf, questionOfEvent } from '../../../app/hil/services/interactionConventions';
import type { HilRequest } from '../../../app/hil/store/hilRequests';

function request(overrides: Partial<HilRequest>): HilRequest {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    owner: 'bridgic',
    platform: 'bridgic',
    conversationId: 'bridgic',
    requestId: 'i1',
    taskId: 'interaction',
    loopType: 'approval',
    status: 'pending',
    context: {},
    metadata: {},
    response: null,
    feedback: null,
    respondedBy: null,
    respondedAt: null,
    target: { botKey: 'b', chattype: 'single', chatid: 'alice' },
    approvers: [],
    delivery: 'delivered',
    cardTaskId: null,
    shortId: 'abcd0123',
    expiresAt: 0,
    createdAt: 0,
    updatedAt: 0,
    ...overrides,
  };
}

describe('interaction conventions (hil.md §5.3)', () => {
  it('asks for a decision on approval-like events, for text otherwise', () => {
    expect(loopTypeOf({ event_type: 'DEPLOY_APPROVAL', data: {} })).toBe('approval');
    expect(loopTypeOf({ event_type: 'needs_confirmation', data: 'x' })).toBe('approval');
    expect(loopTypeOf({ event_type: 'if_continue', data: { prompt: 'go?', answer: 'yes_no' } })).toBe('approval');
    expect(loopTypeOf({ event_type: null, data: { kind: 'approval' } })).toBe('approval');
    expect(loopTypeOf({ event_type: 'HUMAN_INPUT_REQUEST', data: { prompt: 'name?' } })).toBe('information');
    expect(loopTypeOf({ event_type: null, data: null })).toBe('information');
  });

  it('shows prompt, prompt_to_user, question, message, a string, or the data as JSON', () => {
    expect(questionOfEvent({ data: { prompt: 'P', question: 'Q' } })).toBe('P');
    expect(questionOfEvent({ data: { prompt_to_user: 'U', question: 'Q' } })).toBe('U');
    expect(questionOfEvent({ data: { question: 'Q', message: 'M' } })).toBe('Q');
    expect(questionOfEvent({ data: { message: 'M' } })).toBe('M');
    expect(questionOfEvent({ data: '直接的问题' })).toBe('直接的问题');
    expect(questionOfEvent({ data: { amount: 3 } })).toBe('{"amount":3}');
    expect(questionOfEvent({ data: null })).toBe('');
  });

  it('gives yes/no, a decision with its reason, or the reply text; nothing while open', () => {
    const approved = request({ status: 'approved', response: { decision: 'approved', reason: '可以' } });
    const rejected = request({ status: 'rejected', response: { decision: 'rejected', reason: '' } });
    expect(feedbackDataOf(approved, { data: { answer: 'yes_no' } })).toBe('yes');
    expect(feedbackDataOf(rejected, { data: { answer: 'yes_no' } })).toBe('no');
    expect(feedbackDataOf(approved, { data: {} })).toEqual({ decision: 'approved', reason: '可以' });
    expect(feedbackDataOf(rejected, { data: {} })).toEqual({ decision: 'rejected', reason: '' });
    const replied = request({ loopType: 'information', status: 'completed', response: { information: '答案' } });
    expect(feedbackDataOf(replied, {})).toBe('答案');
    expect(feedbackDataOf(request({ status: 'pending' }), {})).toBeUndefined();
    expect(feedbackDataOf(request({ status: 'expired' }), {})).toBeUndefined();
  });
});
