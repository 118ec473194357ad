import { buildTurnQuery, type TurnQuery } from '../../../../app/services/wecom/turnQuery';
import { attachmentLabel, composeQuery } from '../../../../app/services/turn/queryText';
import { isUserMessage, parseInbound, type UserMessage } from '../../../../app/services/wecom/inbound';
import { DEFAULT_TEXTS } from '../../../../app/config/texts';
import { raw } from './inboundFixtures';

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
const NAMES = ['RobotA', 'MyBot'];

function ask(query: TurnQuery): Extract<TurnQuery, { kind: 'ask' }> {
  if (query.kind !== 'ask') throw new Error('expected a question');
  return query;
}
const allOk = (q: Extract<TurnQuery, { kind: 'ask' }>, name?: string) => q.attachments.map(() => ({ ok: true, name }));
const composed = (message: UserMessage): string => {
  const q = ask(buildTurnQuery(message, NAMES));
  return composeQuery(q, allOk(q), DEFAULT_TEXTS);
};

describe('buildTurnQuery + composeQuery: the question', () => {
  it('strips the configured mention from a group text', () => {
    expect(composed(text('@RobotA 帮我总结一下', 'group'))).toBe('帮我总结一下');
  });

  it('strips the mention by heuristics when no name is configured (TV-6 plaintext)', () => {
    const q = ask(buildTurnQuery(fixture('tv6-text-group'), []));
    expect(composeQuery(q, [], DEFAULT_TEXTS)).toBe('你好，机器人');
  });

  it('does not strip @ in a single chat, where there is no mention', () => {
    expect(composed(text('  @RobotA 你好 ', 'single'))).toBe('@RobotA 你好');
  });

  it('asks the voice transcript', () => {
    expect(composed(fixture('voice-single'))).toBe('这是语音转成文本的内容');
  });

  it('is empty when nothing but the mention was sent, even with a quote', () => {
    expect(buildTurnQuery(text('@RobotA', 'group'), NAMES)).toEqual({ kind: 'empty' });
    expect(buildTurnQuery(text('@RobotA ', 'group', { msgtype: 'text', text: { content: '旧消息' } }), NAMES)).toEqual({
      kind: 'empty',
    });
  });

  it('attaches a lone image and asks the agent to look at it', () => {
    const q = ask(buildTurnQuery(fixture('image-single'), NAMES));
    expect(q.attachments).toEqual([{ kind: 'image', url: expect.any(String), aeskey: undefined, fromQuote: false }]);
    expect(composeQuery(q, allOk(q), DEFAULT_TEXTS)).toBe(`[图片1]\n${DEFAULT_TEXTS.QUERY_ATTACHMENTS_ONLY}`);
  });

  it('names a file by the name it arrived with', () => {
    const q = ask(buildTurnQuery(fixture('file-single'), NAMES));
    expect(composeQuery(q, allOk(q, '周报.pdf'), DEFAULT_TEXTS)).toBe(
      `[文件：周报.pdf]\n${DEFAULT_TEXTS.QUERY_ATTACHMENTS_ONLY}`,
    );
  });

  it('keeps the order of text and images of a mixed message, mention stripped', () => {
    expect(composed(fixture('mixed-group'))).toBe('这张图里是什么？\n[图片1]');
  });

  it('keeps the per-message aeskey of long-connection media', () => {
    expect(ask(buildTurnQuery(fixture('image-ws-aeskey'), NAMES)).attachments[0]?.aeskey).toEqual(expect.any(String));
  });

  it('marks an attachment that could not be read', () => {
    const q = ask(buildTurnQuery(fixture('mixed-group'), NAMES));
    expect(composeQuery(q, [{ ok: false, name: undefined }], DEFAULT_TEXTS)).toBe(
      '这张图里是什么？\n[图片1（未能读取）]',
    );
  });
});

describe('a quote becomes context before the question (§5.8)', () => {
  const intro = DEFAULT_TEXTS.QUERY_QUOTE_INTRO;

  it('quotes a text', () => {
    expect(composed(fixture('text-group-quote-text'))).toBe(`${intro}\n本周进展：……\n\n帮我总结一下这份周报`);
  });

  it('attaches a quoted image and refers to it in the context', () => {
    const q = ask(buildTurnQuery(fixture('text-quote-image'), NAMES));
    expect(q.attachments.map((a) => a.fromQuote)).toEqual([true]);
    expect(composeQuery(q, allOk(q), DEFAULT_TEXTS)).toBe(`${intro}\n[图片1]\n\n这张图里写的是什么？`);
  });

  it('numbers the images of a message before those of its quote', () => {
    const q = ask(buildTurnQuery(fixture('mixed-quote-mixed'), NAMES));
    expect(composeQuery(q, allOk(q), DEFAULT_TEXTS)).toBe(
      `${intro}\n旧版界面\n[图片2]\n\n[图片1]\n和上面那条比有什么区别？`,
    );
  });

  it('describes a quote of a type WeCom cannot show', () => {
    expect(composed(fixture('text-quote-unknown'))).toContain('[暂不支持显示的消息]');
  });
});

describe('attachmentLabel: how the user is told which attachment failed', () => {
  it('says "图片" for a single image and numbers several', () => {
    expect(attachmentLabel([{ kind: 'image', url: 'u', aeskey: undefined, fromQuote: false }], 0)).toBe('图片');
    const two = [0, 1].map(() => ({ kind: 'image' as const, url: 'u', aeskey: undefined, fromQuote: false }));
    expect(attachmentLabel(two, 1)).toBe('第2张图片');
  });

  it('names quoted media, files and videos', () => {
    expect(attachmentLabel([{ kind: 'image', url: 'u', aeskey: undefined, fromQuote: true }], 0)).toBe('引用的图片');
    expect(attachmentLabel([{ kind: 'file', url: 'u', aeskey: undefined, fromQuote: false }], 0)).toBe('文件');
    expect(attachmentLabel([{ kind: 'video', url: 'u', aeskey: undefined, fromQuote: false }], 0)).toBe('视频');
  });
});
