import { ResponseUrlBook } from '../../../../app/services/outbox/responseUrlBook';

const chat = { botKey: 'bot1', chattype: 'single' as const, chatid: 'zhangsan' };
const MINUTE = 60_000;

describe('ResponseUrlBook', () => {
  let now = 1_000_000_000;
  const book = (): ResponseUrlBook => new ResponseUrlBook(() => now);

  it('hands a URL out once', () => {
    const b = book();
    b.offer(chat, 'https://wecom.test/r?code=1', now);
    expect(b.take(chat)).toBe('https://wecom.test/r?code=1');
    expect(b.take(chat)).toBeUndefined();
  });

  it('keeps the newest URL of a chat, and keeps chats apart', () => {
    const b = book();
    b.offer(chat, 'newer', now);
    b.offer(chat, 'older', now - 10 * MINUTE);
    b.offer({ ...chat, chattype: 'group' }, 'group', now);
    expect(b.take(chat)).toBe('newer');
    expect(b.take({ ...chat, chattype: 'group' })).toBe('group');
    expect(b.take({ ...chat, botKey: 'bot2' })).toBeUndefined();
  });

  it('never hands out a URL past 55 of its 60 minutes (§9)', () => {
    const b = book();
    b.offer(chat, 'stale', now - 56 * MINUTE);
    expect(b.take(chat)).toBeUndefined();
    b.offer(chat, 'fresh', now);
    now += 56 * MINUTE;
    expect(b.take(chat)).toBeUndefined();
  });
});
