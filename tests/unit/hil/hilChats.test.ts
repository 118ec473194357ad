import { loadConfig } from '../../../app/config';
import { type KnownChats, chatIdOf, resolveChat } from '../../../app/hil/services/hilChats';
import type { HilTarget } from '../../../app/hil/store/hilRequests';

const AES = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const one = loadConfig({ WECOM_TOKEN: 't', WECOM_ENCODING_AES_KEY: AES }).config;
const two = loadConfig({
  WECOM_TOKEN: 't',
  WECOM_ENCODING_AES_KEY: AES,
  WECOM_BOTS: JSON.stringify({ sales: { token: 't2', encodingAesKey: AES } }),
}).config;

/** The message log as resolveChat asks it: the groups each bot has seen, and which ids were asked. */
function known(groups: Record<string, string[]>): KnownChats & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    groupBots: (chatid) => {
      asked.push(chatid);
      return Promise.resolve(groups[chatid] ?? []);
    },
  };
}

describe('resolveChat', () => {
  it('an id the log knows as a group is that group; any other id is a single chat of the only bot', async () => {
    const chats = known({ wrgroup: ['*'] });
    expect(await resolveChat(one, chats, ' wrgroup ')).toEqual({
      ok: true,
      target: { botKey: '*', chattype: 'group', chatid: 'wrgroup' },
    });
    expect(await resolveChat(one, chats, 'zhangsan')).toEqual({
      ok: true,
      target: { botKey: '*', chattype: 'single', chatid: 'zhangsan' },
    });
  });

  it('single: and group: force the type; single: does not even ask the log', async () => {
    const chats = known({ wrgroup: ['*'] });
    expect(await resolveChat(one, chats, 'single:wrgroup')).toMatchObject({
      target: { chattype: 'single', chatid: 'wrgroup' },
    });
    expect(chats.asked).toEqual([]);
    expect(await resolveChat(one, chats, 'group:wrnew')).toMatchObject({
      target: { chattype: 'group', chatid: 'wrnew' },
    });
  });

  it('with several bots: the bot that saw the group, a <bot>/ prefix, or an error naming HIL_DEFAULT_BOT', async () => {
    const chats = known({ wrsales: ['nope', 'sales'], wrboth: ['*', 'sales'] });
    expect(await resolveChat(two, chats, 'wrsales')).toEqual({
      ok: true,
      target: { botKey: 'sales', chattype: 'group', chatid: 'wrsales' },
    });
    expect(await resolveChat(two, chats, 'sales/wrboth')).toMatchObject({ target: { botKey: 'sales' } });
    expect(await resolveChat(two, chats, 'sales/single:li')).toMatchObject({
      target: { botKey: 'sales', chattype: 'single', chatid: 'li' },
    });
    expect(await resolveChat(two, chats, 'li')).toMatchObject({
      ok: false,
      error: expect.stringContaining('HIL_DEFAULT_BOT'),
    });
    // A slash that names no bot is part of the id.
    expect(await resolveChat(one, chats, 'a/b')).toMatchObject({ target: { chatid: 'a/b' } });
  });

  it('an empty id, or a prefix with nothing after it, is no chat', async () => {
    for (const raw of ['', '  ', 'single:', 'sales/group: '])
      expect(await resolveChat(two, known({}), raw)).toEqual({ ok: false, error: '未指定 chat_id' });
  });
});

describe('chatIdOf', () => {
  const chats = known({ wrg: ['*', 'sales'] });
  const targets: HilTarget[] = [
    { botKey: '*', chattype: 'group', chatid: 'wrg' },
    { botKey: 'sales', chattype: 'group', chatid: 'wrg' },
    { botKey: 'sales', chattype: 'single', chatid: 'li' },
  ];

  it('prints the bare id with one bot, the bot as a prefix with several', () => {
    expect(chatIdOf(one, { botKey: '*', chattype: 'group', chatid: 'wrg' })).toBe('wrg');
    expect(chatIdOf(one, { botKey: '*', chattype: 'single', chatid: 'li' })).toBe('single:li');
    expect(chatIdOf(two, { botKey: 'sales', chattype: 'group', chatid: 'wrg' })).toBe('sales/wrg');
  });

  it('what it prints resolves back to the same chat', async () => {
    for (const target of targets)
      expect(await resolveChat(two, chats, chatIdOf(two, target))).toEqual({ ok: true, target });
    const single = { botKey: '*', chattype: 'single' as const, chatid: 'zhang' };
    expect(await resolveChat(one, chats, chatIdOf(one, single))).toEqual({ ok: true, target: single });
  });
});
