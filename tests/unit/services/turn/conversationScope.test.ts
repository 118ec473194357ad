import { conversationScope, type ChatParty } from '../../../../app/services/turn/conversationScope';

const single: ChatParty = { aibotid: 'aibA', userid: 'zhangsan', chattype: 'single', chatid: undefined };
const group: ChatParty = { aibotid: 'aibA', userid: 'zhangsan', chattype: 'group', chatid: 'wrCHAT1' };

describe('conversationScope', () => {
  it('gives a single chat its own Dify user per bot and person', () => {
    expect(conversationScope(single, 'default', 'group')).toEqual({
      difyUser: 'wecom:aibA:zhangsan',
      key: 'default|wecom:aibA:zhangsan',
      agentId: 'default',
    });
  });

  it('ignores the group scope setting in a single chat', () => {
    expect(conversationScope(single, 'default', 'member')).toEqual(conversationScope(single, 'default', 'group'));
  });

  it('shares one conversation per group by default', () => {
    expect(conversationScope(group, 'default', 'group')).toEqual({
      difyUser: 'wecom:aibA:group:wrCHAT1',
      key: 'default|wecom:aibA:group:wrCHAT1',
      agentId: 'default',
    });
    const lisi = conversationScope({ ...group, userid: 'lisi' }, 'default', 'group');
    expect(lisi).toEqual(conversationScope(group, 'default', 'group'));
  });

  it('gives each group member their own conversation with scope "member"', () => {
    const mine = conversationScope(group, 'default', 'member');
    expect(mine).toEqual({
      difyUser: 'wecom:aibA:group:wrCHAT1:zhangsan',
      key: 'default|wecom:aibA:group:wrCHAT1:zhangsan',
      agentId: 'default',
    });
    expect(conversationScope({ ...group, userid: 'lisi' }, 'default', 'member').difyUser).not.toBe(mine.difyUser);
  });

  it('keeps a member of a group apart from the same person in a single chat', () => {
    expect(conversationScope(group, 'default', 'member').difyUser).not.toBe(
      conversationScope(single, 'default', 'member').difyUser,
    );
  });

  it('keeps different groups apart', () => {
    const other = conversationScope({ ...group, chatid: 'wrCHAT2' }, 'default', 'group');
    expect(other.difyUser).not.toBe(conversationScope(group, 'default', 'group').difyUser);
  });

  it.each([
    ['single', single],
    ['group', group],
  ])('gives two bots in the same %s chat different Dify users', (_label, party) => {
    const a = conversationScope(party, 'default', 'group');
    const b = conversationScope({ ...party, aibotid: 'aibB' }, 'default', 'group');
    expect(b.difyUser).not.toBe(a.difyUser);
    expect(b.key).not.toBe(a.key);
  });

  it('puts the agent id into the key, since conversation ids only hold within one app', () => {
    const sales = conversationScope(single, 'sales', 'group');
    const hr = conversationScope(single, 'hr', 'group');
    expect(sales.difyUser).toBe(hr.difyUser);
    expect([sales.key, hr.key]).toEqual(['sales|wecom:aibA:zhangsan', 'hr|wecom:aibA:zhangsan']);
  });

  it('falls back to the person when a group message lacks its chatid', () => {
    for (const chatid of [undefined, '']) {
      expect(conversationScope({ ...group, chatid }, 'default', 'group').difyUser).toBe('wecom:aibA:zhangsan');
    }
  });
});
