import { buildTurnQuery } from '../../../app/services/query';
import { isUserMessage, parseInbound, type UserMessage } from '../../../app/services/wecom/inbound';
import { raw } from './wecom/inboundFixtures';

/** Real UserMessage values, built by the one inbound parser from WeCom's JSON (§5). */
function userMessage(json: string): UserMessage {
  const m = parseInbound(json);
  if (!isUserMessage(m)) throw new Error(`not a user message: ${m.msgtype}`);
  return m;
}
const fixture = (name: string): UserMessage => userMessage(raw(name));

const base = { msgid: 'M1', aibotid: 'AIB', from: { userid: 'zhangsan' }, response_url: 'RESPONSE_URL' };
function text(content: string, chattype: 'single' | 'group', quote?: unknown): UserMessage {
  const chat = chattype === 'group' ? { chattype, chatid: 'CHATID' } : { chattype };
  return userMessage(JSON.stringify({ ...base, ...chat, msgtype: 'text', text: { content }, quote }));
}
const NAMES = ['RobotA'];

describe('buildTurnQuery: the question', () => {
  it('strips the configured mention from a group text', () => {
    expect(buildTurnQuery(text('@RobotA 今天开会吗？', 'group'), NAMES)).toEqual({ kind: 'ask', query: '今天开会吗？' });
  });

  it('strips the mention by heuristics when no name is configured (TV-6 plaintext)', () => {
    expect(buildTurnQuery(fixture('tv6-text-group'), [])).toEqual({ kind: 'ask', query: '你好，机器人' });
  });

  it('does not strip @ in a single chat, where there is no mention', () => {
    expect(buildTurnQuery(text('  @RobotA 你好  ', 'single'), NAMES)).toEqual({ kind: 'ask', query: '@RobotA 你好' });
    expect(buildTurnQuery(fixture('text-single'), NAMES)).toEqual({ kind: 'ask', query: '帮我查一下明天的会议' });
  });

  it('asks the voice transcript', () => {
    expect(buildTurnQuery(fixture('voice-single'), NAMES)).toEqual({ kind: 'ask', query: '这是语音转成文本的内容' });
  });

  it.each([
    ['a group text that is only the mention', text('@RobotA ', 'group')],
    ['a blank single-chat text', text(' \n ', 'single')],
    ['a blank voice transcript', userMessage(JSON.stringify({ ...base, chattype: 'single', msgtype: 'voice', voice: { content: '  ' } }))],
  ])('is empty for %s', (_label, message) => {
    expect(buildTurnQuery(message, NAMES)).toEqual({ kind: 'empty' });
  });

  it('is empty even when the empty question quotes something', () => {
    expect(buildTurnQuery(text('@RobotA', 'group', { msgtype: 'text', text: { content: '引用' } }), NAMES)).toEqual({ kind: 'empty' });
  });

  it.each([
    ['image-single', 'image'],
    ['file-single', 'file'],
    ['video-single', 'video'],
    ['mixed-group', 'mixed'],
    ['mixed-quote-mixed', 'mixed'],
  ])('declines %s as unsupported', (name, msgtype) => {
    expect(buildTurnQuery(fixture(name), NAMES)).toEqual({ kind: 'unsupported', msgtype });
  });
});

describe('buildTurnQuery: a quote becomes context before the question (§5.8)', () => {
  const withContext = (context: string, question: string): string => `以下是我引用的消息：\n${context}\n\n${question}`;

  it('quotes a text (docs example of §5.3)', () => {
    expect(buildTurnQuery(fixture('text-group-quote-text'), ['MyBot'])).toEqual({ kind: 'ask', query: withContext('本周进展：……', '帮我总结一下这份周报') });
  });

  it.each([
    ['voice', { msgtype: 'voice', voice: { content: '语音转写' } }, '语音转写'],
    ['mixed', { msgtype: 'mixed', mixed: { msg_item: [{ msgtype: 'text', text: { content: '旧版界面' } }, { msgtype: 'image', image: { url: 'u' } }] } }, '旧版界面[图片]'],
    ['image', { msgtype: 'image', image: { url: 'u' } }, '[图片]'],
    ['file', { msgtype: 'file', file: { url: 'u' } }, '[文件]'],
    ['video', { msgtype: 'video', video: { url: 'u' } }, '[视频]'],
    ['unknown type', { msgtype: 'smartsheet', smartsheet: { title: '表格' } }, '[暂不支持的消息]'],
  ])('quotes a %s', (_label, quote, context) => {
    expect(buildTurnQuery(text('这是什么？', 'single', quote), NAMES)).toEqual({ kind: 'ask', query: withContext(context, '这是什么？') });
  });

  it('reads the quote fixtures the same way', () => {
    expect(buildTurnQuery(fixture('text-quote-image'), NAMES)).toEqual({ kind: 'ask', query: withContext('[图片]', '这张图里写的是什么？') });
    expect(buildTurnQuery(fixture('text-quote-unknown'), NAMES)).toEqual({ kind: 'ask', query: withContext('[暂不支持的消息]', '这是什么？') });
  });

  it('ignores a quote with no content', () => {
    expect(buildTurnQuery(text('问题', 'single', { msgtype: 'text', text: { content: '  ' } }), NAMES)).toEqual({ kind: 'ask', query: '问题' });
  });

  it('does not strip the mention names from the quoted text', () => {
    const query = buildTurnQuery(text('@RobotA 解释一下', 'group', { msgtype: 'text', text: { content: '@RobotA 说过的话' } }), NAMES);
    expect(query).toEqual({ kind: 'ask', query: withContext('@RobotA 说过的话', '解释一下') });
  });
});
