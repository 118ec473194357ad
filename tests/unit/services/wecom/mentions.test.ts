import { stripMentions } from '../../../../app/services/wecom/mentions';

describe('stripMentions with configured bot names (wecom-aibot-protocol.md §5.2)', () => {
  it.each([
    ['a leading mention (docs example)', '@RobotA hello robot', ['RobotA'], 'hello robot'],
    [
      'a trailing mention with a trailing space (observed live)',
      'hello@项目开发管理助手 ',
      ['项目开发管理助手'],
      'hello',
    ],
    ['a mention in the middle', '请 @RobotA 帮我总结', ['RobotA'], '请 帮我总结'],
    ['a name with a space', '@My Bot 今天天气如何', ['My Bot'], '今天天气如何'],
    ['a name with regex characters', '@Bot(测试)+ 你好', ['Bot(测试)+'], '你好'],
    ['the mention followed by a Chinese comma', '@RobotA，帮我查一下', ['RobotA'], '帮我查一下'],
    ['the mention followed by a Chinese colon', '@RobotA：帮我查一下', ['RobotA'], '帮我查一下'],
    ['the mention followed by an ASCII colon', '@RobotA: hi', ['RobotA'], 'hi'],
    ['the mention followed by the four-per-em space WeCom inserts', '@RobotA\u2005你好', ['RobotA'], '你好'],
    ['only the mention', '@RobotA', ['RobotA'], ''],
    ['only the mention and blanks', '  @RobotA   ', ['RobotA'], ''],
  ] as const)('strips %s', (_label, text, names, expected) => {
    expect(stripMentions(text, names)).toBe(expected);
  });

  it('strips several mentions of the bot and of its other names', () => {
    expect(stripMentions('@RobotA @小助手 你好 @RobotA', ['RobotA', '小助手'])).toBe('你好');
  });

  it('keeps mentions of other people', () => {
    expect(stripMentions('@RobotA 帮我通知 @张三 开会', ['RobotA'])).toBe('帮我通知 @张三 开会');
  });

  it('does not strip a longer name that merely starts with the bot name', () => {
    expect(stripMentions('@RobotAB 你好', ['RobotA'])).toBe('@RobotAB 你好');
  });

  it('leaves a text without the mention unchanged except for outer blanks', () => {
    expect(stripMentions('  只是提问  ', ['RobotA'])).toBe('只是提问');
  });

  it.each(['？', '。', '！', '、'])('strips the mention when it is followed by the Chinese punctuation %s', (mark) => {
    const stripped = stripMentions(`在吗@RobotA${mark}`, ['RobotA']);
    expect(stripped).not.toContain('@RobotA');
    expect(stripped.startsWith('在吗')).toBe(true);
  });

  it('keeps the line breaks and indentation of a multi-line question', () => {
    const question = '帮我看看这段代码：\n\n```python\nif ok:\n    return 1\n```';
    expect(stripMentions(`@RobotA ${question}`, ['RobotA'])).toBe(question);
  });
});

describe('stripMentions without configured names (heuristics)', () => {
  it.each([
    ['a leading @word', '@RobotA hello robot', 'hello robot'],
    ['a leading @word with a Chinese name', '@项目开发管理助手 帮我查', '帮我查'],
    ['a trailing @word glued to the text', 'hello@项目开发管理助手 ', 'hello'],
    ['a trailing @word after a space', '总结一下 @RobotA', '总结一下'],
    ['a lone @word', ' @RobotA ', ''],
    ['nothing but blanks', '   ', ''],
  ])('strips %s', (_label, text, expected) => {
    expect(stripMentions(text, [])).toBe(expected);
  });

  it('strips only the one leading mention', () => {
    expect(stripMentions('@RobotA 请 @张三 看一下', [])).toBe('请 @张三 看一下');
  });

  it('keeps a text without any mention', () => {
    expect(stripMentions(' 你好 ', [])).toBe('你好');
  });

  it('keeps the line breaks of a multi-line question after a leading mention', () => {
    expect(stripMentions('@RobotA 第一行\n\n第二行', [])).toBe('第一行\n\n第二行');
  });
});
