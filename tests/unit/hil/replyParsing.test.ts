import { readDecision, readReply } from '../../../app/hil/services/replyParsing';
import type { UserMessage } from '../../../app/services/wecom/inbound';

function text(content: string, quote?: string): UserMessage {
  return {
    msgid: 'm1',
    aibotid: 'aib',
    chattype: 'single',
    from: { userid: 'u' },
    msgtype: 'text',
    text: { content },
    ...(quote !== undefined ? { quote: { msgtype: 'text', text: { content: quote } } } : {}),
  } as UserMessage;
}

describe('readReply', () => {
  it('finds the short id in the quoted message (the quote field) and keeps the reply text', () => {
    expect(readReply(text('同意 可以', '**[#3f2a9c1b t1]** 需要你的审批'), [])).toEqual({
      kind: 'addressed',
      shortId: '3f2a9c1b',
      text: '同意 可以',
    });
  });

  it('reads the 「quoted」 prefix form, with or without the dashed separator line', () => {
    for (const content of ['「[#0a1b2c3d t] 问题」\n- - - - -\n答案', '「[#0a1b2c3d t] 问题」答案'])
      expect(readReply(text(content), [])).toEqual({ kind: 'addressed', shortId: '0a1b2c3d', text: '答案' });
  });

  it('reads #id text, /approve and /reject with a reason, and the /pending command', () => {
    expect(readReply(text('#0a1b2c3d 五万'), [])).toEqual({ kind: 'addressed', shortId: '0a1b2c3d', text: '五万' });
    expect(readReply(text('/approve 0a1b2c3d 没问题'), [])).toEqual({
      kind: 'command',
      decision: 'approved',
      shortId: '0a1b2c3d',
      reason: '没问题',
    });
    expect(readReply(text('/REJECT #0a1b2c3d'), [])).toMatchObject({ decision: 'rejected', reason: '' });
    expect(readReply(text('待办'), [])).toEqual({ kind: 'pending' });
    expect(readReply(text('/pending'), [])).toEqual({ kind: 'pending' });
    expect(readReply(text(' /chatid '), [])).toEqual({ kind: 'chatid' });
    expect(readReply(text('@bot /CHAT_ID', undefined), ['bot'])).toEqual({ kind: 'chatid' });
    expect(readReply(text('/chatid please'), [])).toEqual({ kind: 'plain', text: '/chatid please' });
  });

  it('strips the @mention of the bot first; anything else is plain text', () => {
    expect(readReply(text('@助手 #0a1b2c3d 好的'), ['助手'])).toMatchObject({ kind: 'addressed', text: '好的' });
    expect(readReply(text('#abc 这不是编号'), [])).toEqual({ kind: 'plain', text: '#abc 这不是编号' });
    expect(readReply(text('引用了别的', '普通回答'), [])).toEqual({ kind: 'plain', text: '引用了别的' });
  });
});

describe('readDecision', () => {
  it('takes an approval word at the start and the rest as the reason', () => {
    expect(readDecision('同意，预算够', false)).toEqual({ decision: 'approved', reason: '预算够' });
    expect(readDecision('驳回 不合规', false)).toEqual({ decision: 'rejected', reason: '不合规' });
    expect(readDecision('yes', false)).toEqual({ decision: 'approved', reason: '' });
    expect(readDecision('No: too risky', false)).toEqual({ decision: 'rejected', reason: 'too risky' });
  });

  it('strict: no yes/no, and a word must stand alone (拒绝访问 is not a decision)', () => {
    expect(readDecision('no problem', true)).toBeUndefined();
    expect(readDecision('拒绝访问是什么意思', true)).toBeUndefined();
    expect(readDecision('批准', true)).toEqual({ decision: 'approved', reason: '' });
  });
});
