import { AnswerBuilder } from '../../../../app/services/dify/answerBuilder';
import { parseDifyEvent, type DifyEvent } from '../../../../app/services/dify/events';

/** The chatflow example of Dify's Service API reference (docs/dify-human-input.md §2), compacted. */
const REQUIRED = {
  event: 'human_input_required',
  task_id: 'c3800678-a077-43df-a102-53f23ed20b88',
  message_id: '2e4f6a8b-1c3d-5e7f-9a0b-2c4d6e8f0a1b',
  conversation_id: '9d3a2f1b-6c7d-4e8f-a0b1-c2d3e4f5a6b7',
  created_at: 1705407629,
  workflow_run_id: 'fb47b2e6-5e43-4f90-be01-d5c5a088d156',
  data: {
    form_id: 'a1b2c3d4-e5f6-7890-abcd-ef1234567890',
    form_token: 'tok_abc123',
    node_id: 'approval_node',
    node_title: 'Approval',
    form_content: 'Please review the draft.',
    inputs: [{ type: 'paragraph', output_variable_name: 'comment', default: null }],
    actions: [{ id: 'approve', title: 'Approve', button_style: 'primary' }],
    display_in_ui: false,
    resolved_default_values: { comment: '' },
    expiration_time: 1705494029,
  },
};

const ev = (obj: Record<string, unknown>): DifyEvent | null => parseDifyEvent(JSON.stringify(obj));

describe('human_input_required', () => {
  it('reads the form of the reference example, with the run ids of its envelope', () => {
    expect(ev(REQUIRED)).toEqual({
      event: 'human_input_required',
      form: {
        formId: 'a1b2c3d4-e5f6-7890-abcd-ef1234567890',
        formToken: 'tok_abc123',
        nodeId: 'approval_node',
        nodeTitle: 'Approval',
        content: 'Please review the draft.',
        inputs: [{ type: 'paragraph', name: 'comment', options: [] }],
        actions: [{ id: 'approve', title: 'Approve' }],
        defaults: { comment: '' },
        expiresAt: 1705494029000,
      },
      conversationId: REQUIRED.conversation_id,
      messageId: REQUIRED.message_id,
      taskId: REQUIRED.task_id,
      workflowRunId: REQUIRED.workflow_run_id,
    });
  });

  it('keeps a null token (e-mail delivery), drops entries it cannot read, takes select options', () => {
    const data = {
      ...REQUIRED.data,
      form_token: null,
      inputs: [{ type: 'select', output_variable_name: 'level', option_source: { value: ['low', 'high'] } }, 'odd'],
      actions: [{ id: 'ok' }, { title: 'no id' }],
      expiration_time: undefined,
    };
    const parsed = ev({ event: 'human_input_required', data });
    expect(parsed).toMatchObject({
      event: 'human_input_required',
      form: {
        formToken: null,
        inputs: [{ type: 'select', name: 'level', options: ['low', 'high'] }],
        actions: [{ id: 'ok', title: 'ok' }],
        expiresAt: undefined,
      },
    });
  });

  it.each([
    ['workflow_paused', { data: {} }, { event: 'paused' }],
    ['human_input_form_timeout', { data: {} }, { event: 'form_timeout' }],
    ['human_input_form_filled', { data: {} }, { event: 'progress', name: 'human_input_form_filled' }],
  ])('%s', (name, payload, expected) => {
    expect(ev({ event: name, ...payload })).toEqual(expected);
  });

  it('pauses the answer builder and keeps the first form', () => {
    const builder = new AnswerBuilder({ mode: 'advanced-chat' });
    const first = ev(REQUIRED) as DifyEvent;
    builder.apply({ event: 'message', answer: '草稿' });
    builder.apply(first);
    builder.apply({ ...first, form: { ...(first as { form: object }).form, nodeTitle: 'second' } } as DifyEvent);
    builder.apply({ event: 'paused' });
    expect([builder.answer, builder.terminal, builder.form?.nodeTitle]).toEqual([
      '草稿',
      { kind: 'paused' },
      'Approval',
    ]);
    expect(builder.ids.workflowRunId).toBe(REQUIRED.workflow_run_id);
  });
});
