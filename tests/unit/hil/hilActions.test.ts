import { chooseAction, matchAction } from '../../../app/hil/services/hilActions';
import { formAnswerOf, formMetaOf } from '../../../app/hil/services/difyFormAnswer';
import type { HilRequest } from '../../../app/hil/store/hilRequests';

const ACTIONS = [
  { id: 'approve', title: '批准' },
  { id: 'reject', title: '拒绝' },
  { id: 'ask_legal', title: '转法务' },
];

describe('matchAction', () => {
  it.each([
    ['批准', 'approve', ''],
    ['拒绝，数据不全', 'reject', '数据不全'],
    ['APPROVE ok', 'approve', 'ok'],
    ['3 请法务看看', 'ask_legal', '请法务看看'],
    ['转法务：合同条款', 'ask_legal', '合同条款'],
  ])('%s', (text, id, rest) => {
    expect(matchAction(ACTIONS, text)).toEqual({ action: ACTIONS.find((a) => a.id === id), text: rest });
  });

  it.each(['好的', '4 号方案', '批'])('names no action: %s', (text) => {
    expect(matchAction(ACTIONS, text)).toBeUndefined();
  });
});

describe('chooseAction', () => {
  it('同意 / 拒绝 choose the action that reads like them, or the first / last of two', () => {
    expect(chooseAction(ACTIONS, { kind: 'decide', decision: 'rejected', reason: '' })?.action.id).toBe('reject');
    const two = [
      { id: 'ship', title: '发布' },
      { id: 'wait', title: '再等等' },
    ];
    expect(chooseAction(two, { kind: 'decide', decision: 'approved', reason: '没问题' })?.action.id).toBe('ship');
    expect(chooseAction(two, { kind: 'decide', decision: 'rejected', reason: '' })?.action.id).toBe('wait');
    expect(chooseAction([...two, ACTIONS[2]!], { kind: 'decide', decision: 'rejected', reason: '' })).toBeUndefined();
    expect(chooseAction(two, { kind: 'reply', text: '随便' })).toBeUndefined();
  });
});

function formRequest(response: Record<string, unknown> | null): HilRequest {
  return {
    metadata: {
      source: 'dify_form',
      agent_id: 'default',
      form_token: 'tok',
      workflow_run_id: 'run',
      dify_user: 'wecom:bot:u',
      actions: ACTIONS,
      inputs: [
        { name: 'comment', type: 'paragraph', options: [] },
        { name: 'note', type: 'paragraph', options: [] },
        { name: 'level', type: 'select', options: ['low', 'high'] },
        { name: 'file', type: 'file', options: [] },
      ],
      defaults: { note: '默认' },
    },
    response,
  } as unknown as HilRequest;
}

describe('formAnswerOf', () => {
  it('a clicked action, defaults for the inputs, no file', () => {
    const request = formRequest({ action: 'ask_legal', action_title: '转法务', text: '' });
    expect(formAnswerOf(request, formMetaOf(request)!)).toEqual({
      action: 'ask_legal',
      inputs: { comment: '', note: '默认', level: 'low' },
      user: 'wecom:bot:u',
    });
  });

  it('a reply: the action it names, the rest as the first text input, a select it names', () => {
    const request = formRequest({ information: '拒绝 风险 high', text: '拒绝 风险 high' });
    expect(formAnswerOf(request, formMetaOf(request)!)).toEqual({
      action: 'reject',
      inputs: { comment: '风险 high', note: '默认', level: 'high' },
      user: 'wecom:bot:u',
    });
  });

  it('a reply naming no action takes the first, and all of the text', () => {
    const request = formRequest({ information: '看着办' });
    expect(formAnswerOf(request, formMetaOf(request)!)).toMatchObject({
      action: 'approve',
      inputs: { comment: '看着办' },
    });
  });

  it('metadata of another client is no form', () => {
    expect(formMetaOf({ metadata: { source: 'ghl' } } as unknown as HilRequest)).toBeUndefined();
  });
});
