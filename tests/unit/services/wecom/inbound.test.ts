import { isUserMessage, parseInbound } from '../../../../app/services/wecom/inbound';
import { mutated, parse, variant } from './inboundFixtures';

describe('user messages (§5.3–§5.8)', () => {
  it('parses the TV-6 group text plaintext (§14.2)', () => {
    expect(parse('tv6-text-group')).toEqual({
      msgid: 'CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=',
      aibotid: 'AIBOTID',
      chatid: 'CHATID',
      chattype: 'group',
      from: { userid: 'USERID' },
      response_url: 'https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=RESPONSE_CODE',
      msgtype: 'text',
      text: { content: '@RobotA 你好，机器人' },
    });
  });

  it('parses a group text quoting a text (§5.3)', () => {
    const m = variant(parse('text-group-quote-text'), 'text');
    expect([m.chattype, m.chatid, m.from.userid]).toEqual(['group', 'CHATID', 'zhangsan']);
    expect(m.text.content).toBe('@MyBot 帮我总结一下这份周报');
    expect(m.quote).toEqual({ msgtype: 'text', text: { content: '本周进展：……' } });
  });

  it('parses a single-chat text without chatid', () => {
    const m = variant(parse('text-single'), 'text');
    expect(m.chattype).toBe('single');
    expect(m).not.toHaveProperty('chatid');
    expect(m.quote).toBeUndefined();
  });

  it.each([
    ['image-single', 'image', { url: expect.stringContaining('myqcloud.com') }],
    ['image-ws-aeskey', 'image', { url: 'https://...encrypted...', aeskey: 'AESKEY-OF-THIS-FILE' }],
    ['voice-single', 'voice', { content: '这是语音转成文本的内容' }],
    ['file-single', 'file', { url: 'https://...encrypted...' }],
    ['video-single', 'video', { url: 'https://...encrypted...' }],
  ] as const)('parses %s', (name, msgtype, body) => {
    const m = parse(name);
    expect(m).toMatchObject({ msgtype, chattype: 'single', msgid: expect.any(String), [msgtype]: body });
    expect(isUserMessage(m)).toBe(true);
  });

  it('parses a group mixed message, keeping item order (§5.5)', () => {
    const m = variant(parse('mixed-group'), 'mixed');
    expect(m.mixed.msg_item).toEqual([
      { msgtype: 'text', text: { content: '@MyBot 这张图里是什么？' } },
      { msgtype: 'image', image: { url: 'https://...encrypted...' } },
    ]);
  });

  it('parses a quoted image (§5.8)', () => {
    const m = variant(parse('text-quote-image'), 'text');
    expect(m.quote).toEqual({ msgtype: 'image', image: { url: 'https://...encrypted...' } });
  });

  it('parses a mixed message quoting a mixed message', () => {
    const quote = variant(parse('mixed-quote-mixed'), 'mixed').quote;
    const items = quote?.msgtype === 'mixed' ? quote.mixed.msg_item : [];
    expect(items.map((i) => i.msgtype)).toEqual(['text', 'image']);
  });

  it('keeps the message when the quote has an unknown msgtype', () => {
    const m = variant(parse('text-quote-unknown'), 'text');
    expect(m.text.content).toBe('这是什么？');
    expect(m.quote).toEqual({ msgtype: 'unsupported', name: 'smartsheet' });
  });

  it.each(['tv6-text-group', 'text-single', 'mixed-group'])('isUserMessage(%s) is true', (name) => {
    expect(isUserMessage(parse(name))).toBe(true);
  });
});

describe('stream refresh (§5.9)', () => {
  it('parses the poll and is not a user message', () => {
    const m = variant(parse('stream-refresh'), 'stream');
    expect(m).toEqual({
      msgid: 'MSGID-6',
      aibotid: 'AIBOTID',
      chatid: 'CHATID',
      chattype: 'group',
      from: { userid: 'zhangsan' },
      msgtype: 'stream',
      stream: { id: 'STREAMID' },
    });
    expect(isUserMessage(m)).toBe(false);
  });

  it('drops a response_url that a refresh should not carry', () => {
    const m = parseInbound(mutated('stream-refresh', (o) => (o.response_url = 'X')));
    expect(m).not.toHaveProperty('response_url');
  });
});

describe('events (§5.10)', () => {
  it('parses enter_chat, defaulting chattype to single', () => {
    const m = variant(parse('event-enter-chat'), 'event');
    expect(m).toMatchObject({ chattype: 'single', create_time: 1733467811 });
    expect(m.from).toEqual({ userid: 'zhangsan', corpid: 'wpXXXX' });
    expect(m.event).toEqual({ eventtype: 'enter_chat' });
    expect(isUserMessage(m)).toBe(false);
  });

  it('accepts create_time as a numeric string', () => {
    expect(variant(parse('event-create-time-string'), 'event').create_time).toBe(1733467811);
  });

  it('parses template_card_event with selected_items and response_url', () => {
    const m = variant(parse('event-template-card'), 'event');
    expect(m.response_url).toContain('response_code=RESPONSE_CODE');
    expect(m.event).toEqual({
      eventtype: 'template_card_event',
      template_card_event: {
        card_type: 'vote_interaction',
        event_key: 'submit_key',
        task_id: 'TASK_20250101_001',
        selected_items: {
          selected_item: [{ question_key: 'q1', option_ids: { option_id: ['opt_a', 'opt_b'] } }],
        },
      },
    });
  });

  it('parses template_card_event without selected_items (menu click)', () => {
    const { event } = variant(parse('event-template-card-menu'), 'event');
    expect(event.eventtype === 'template_card_event' && event.template_card_event).toEqual({
      card_type: 'text_notice',
      event_key: 'menu_key',
      task_id: 'TASK_20250101_002',
    });
  });

  it.each([
    ['event-feedback-accurate', { id: 'FEEDBACK-123', type: 1 }],
    [
      'event-feedback-inaccurate',
      { id: 'FEEDBACK-123', type: 2, content: '能再详细一些么', inaccurate_reason_list: [2, 4] },
    ],
    ['event-feedback-cancel', { id: 'FEEDBACK-123', type: 3 }],
  ])('parses feedback_event %s', (name, feedback) => {
    const { event } = variant(parse(name), 'event');
    expect(event).toEqual({ eventtype: 'feedback_event', feedback_event: feedback });
  });

  it('parses disconnected_event (§12)', () => {
    expect(variant(parse('event-disconnected'), 'event').event).toEqual({ eventtype: 'disconnected_event' });
  });

  it('maps an unknown eventtype to the unknown variant', () => {
    const { event } = variant(parse('event-unknown'), 'event');
    expect(event).toEqual({ eventtype: 'unknown', name: 'some_future_event' });
  });
});

describe('leniency', () => {
  it('ignores and strips fields it does not know', () => {
    expect(parse('text-extra-fields')).toEqual({
      msgid: 'MSGID-23',
      aibotid: 'AIBOTID',
      chattype: 'single',
      from: { userid: 'zhangsan' },
      response_url: 'RESPONSE_URL',
      msgtype: 'text',
      text: { content: '你好' },
    });
  });

  it('maps an unknown msgtype to unsupported, keeping msgid and aibotid', () => {
    const m = parse('unknown-msgtype');
    expect(m).toEqual({ msgtype: 'unsupported', name: 'location', msgid: 'MSGID-22', aibotid: 'AIBOTID' });
    expect(isUserMessage(m)).toBe(false);
    expect(parseInbound('{"msgtype":"location"}')).toEqual({ msgtype: 'unsupported', name: 'location' });
  });

  it.each([
    // TV-2 plaintext (§14.1), a classic self-built-app callback (§13).
    [
      '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>',
      '<FromUserName><![CDATA[mycreate]]></FromUserName>',
      '<CreateTime>1409659813</CreateTime>',
      '<MsgType><![CDATA[text]]></MsgType>',
      '<Content><![CDATA[hello]]></Content>',
      '<MsgId>4561255354251345929</MsgId>',
      '<AgentID>218</AgentID>',
      '</xml>',
    ].join('\n'),
    ' \n\t<xml><MsgType>text</MsgType></xml>',
  ])('maps classic XML plaintext to unsupported (%#)', (xml) => {
    expect(parseInbound(xml)).toEqual({ msgtype: 'unsupported', name: 'classic-xml' });
  });
});
