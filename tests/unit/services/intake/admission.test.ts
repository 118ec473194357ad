import { type Config, loadConfig } from '../../../../app/config';
import { Admission, allowedByRules } from '../../../../app/services/intake/admission';
import type { ChatParty } from '../../../../app/services/turn/conversationScope';

function agentWith(env: Record<string, string>): {
  config: Config;
  agent: NonNullable<ReturnType<Config['agents']['byId']['get']>>;
} {
  const { config } = loadConfig({ DIFY_API_KEY: 'app-x', ...env });
  const agent = config.agents.byId.get('default');
  if (agent === undefined) throw new Error('no agent');
  return { config, agent };
}
const single = (userid: string): ChatParty => ({ aibotid: 'aib', userid, chattype: 'single', chatid: undefined });
const group = (userid: string, chatid: string): ChatParty => ({ aibotid: 'aib', userid, chattype: 'group', chatid });

describe('allowedByRules', () => {
  it('lets everyone through without lists, and never a denied user or chat', () => {
    const open = agentWith({}).agent;
    expect(allowedByRules(open.access, single('anyone'))).toBe(true);
    const denying = agentWith({
      ACCESS_DENY_USERS: 'bad',
      ACCESS_DENY_CHATS: 'wrBAD',
      ACCESS_ALLOW_CHATS: 'wrBAD',
    }).agent;
    expect(allowedByRules(denying.access, single('bad'))).toBe(false);
    expect(allowedByRules(denying.access, group('good', 'wrBAD'))).toBe(false);
  });

  it('with allow lists, passes listed users anywhere and anyone in a listed group', () => {
    const { agent } = agentWith({ ACCESS_ALLOW_USERS: 'vip', ACCESS_ALLOW_CHATS: 'wrTEAM' });
    expect(allowedByRules(agent.access, single('vip'))).toBe(true);
    expect(allowedByRules(agent.access, single('other'))).toBe(false);
    expect(allowedByRules(agent.access, group('other', 'wrTEAM'))).toBe(true);
    expect(allowedByRules(agent.access, group('other', 'wrELSE'))).toBe(false);
  });
});

describe('Admission', () => {
  it('limits messages per minute per user, and frees the window after a minute', () => {
    let now = 0;
    const { config, agent } = agentWith({ USER_MESSAGES_PER_MINUTE: '2' });
    const admission = new Admission(config, () => now);
    expect([
      admission.check(agent, single('u')).kind,
      admission.check(agent, single('u')).kind,
      admission.check(agent, single('u')).kind,
    ]).toEqual(['admit', 'admit', 'refuse']);
    expect(admission.check(agent, single('someone-else')).kind).toBe('admit');
    now = 60_001;
    expect(admission.check(agent, single('u')).kind).toBe('admit');
  });

  it('counts running turns per user and releases them', () => {
    const { config, agent } = agentWith({ USER_CONCURRENT_TURNS: '1', USER_MESSAGES_PER_MINUTE: '0' });
    const admission = new Admission(config, () => 0);
    const leave = admission.enter(single('u'));
    expect(admission.check(agent, single('u'))).toMatchObject({ kind: 'refuse', cause: 'too_many_running' });
    leave();
    expect(admission.check(agent, single('u')).kind).toBe('admit');
  });
});
