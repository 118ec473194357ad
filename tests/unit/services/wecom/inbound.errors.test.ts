import { mutated, parseError } from './inboundFixtures';

// Strict on the fields the gateway relies on; errors carry field paths only, never payload values.
describe('malformed payloads → InboundParseError', () => {
  it.each([
    ['text.content missing', mutated('text-single', (o) => delete o.text.content), 'text.content'],
    ['text.content not a string', mutated('text-single', (o) => (o.text.content = 42)), 'text.content'],
    ['stream.id empty', mutated('stream-refresh', (o) => (o.stream.id = '')), 'stream.id'],
    ['stream.id missing', mutated('stream-refresh', (o) => (o.stream = {})), 'stream.id'],
    ['from missing', mutated('text-single', (o) => delete o.from), 'from'],
    ['from.userid missing', mutated('event-enter-chat', (o) => (o.from = {})), 'from.userid'],
    ['msgid missing', mutated('tv6-text-group', (o) => delete o.msgid), 'msgid'],
    ['msgid empty', mutated('stream-refresh', (o) => (o.msgid = '')), 'msgid'],
    ['mixed.msg_item empty', mutated('mixed-group', (o) => (o.mixed.msg_item = [])), 'mixed.msg_item'],
    ['bad mixed item', mutated('mixed-group', (o) => delete o.mixed.msg_item[1].image), 'mixed.msg_item.1.image'],
    ['bad quote', mutated('text-quote-image', (o) => delete o.quote.image.url), 'quote.image.url'],
    ['chattype invalid', mutated('text-single', (o) => (o.chattype = 'channel')), 'chattype'],
    ['create_time not numeric', mutated('event-enter-chat', (o) => (o.create_time = 'soon')), 'create_time'],
    ['eventtype missing', mutated('event-enter-chat', (o) => (o.event = {})), 'event.eventtype'],
    [
      'feedback type 4',
      mutated('event-feedback-accurate', (o) => (o.event.feedback_event.type = 4)),
      'event.feedback_event.type',
    ],
    [
      'task_id missing',
      mutated('event-template-card', (o) => delete o.event.template_card_event.task_id),
      'event.template_card_event.task_id',
    ],
    ['not JSON', '{"msgtype":"text",', '(root)'],
    ['empty plaintext', '', '(root)'],
    ['JSON array', '[{"msgtype":"text"}]', '(root)'],
    ['JSON null', 'null', '(root)'],
    ['JSON string', '"hello"', '(root)'],
    ['msgtype number', mutated('text-single', (o) => (o.msgtype = 1)), 'msgtype'],
    ['msgtype missing', mutated('text-single', (o) => delete o.msgtype), 'msgtype'],
  ])('%s', (_label, plaintext, path) => {
    const err = parseError(plaintext);
    expect(err.code).toBe('PAYLOAD_INVALID');
    expect(err.name).toBe('InboundParseError');
    expect(err.issues).toContain(path);
    expect(err.message).toContain(path);
  });

  // V8's JSON SyntaxError quotes the input ("…is not valid JSON"), hence the JSON cases here.
  const SECRET = '我的工资是 12345 secret-user-text';
  it.each([
    ['bad shape', mutated('text-single', (o) => ((o.text.content = SECRET), delete o.from))],
    ['bad quote', mutated('text-quote-image', (o) => ((o.text.content = SECRET), (o.quote.image.url = 7)))],
    ['invalid JSON', `{"msgtype":"text","text":{"content":"${SECRET}"`],
    ['invalid JSON token', `{"msgtype":"text","text":{"content":${SECRET}}}`],
  ])('never leaks user text (%s)', (_label, plaintext) => {
    const err = parseError(plaintext);
    for (const s of [err.message, String(err.stack), JSON.stringify(err), err.issues.join('|')]) {
      expect(s).not.toContain('secret-user-text');
      expect(s).not.toContain('工资');
    }
    expect(err.cause).toBeUndefined();
  });
});
