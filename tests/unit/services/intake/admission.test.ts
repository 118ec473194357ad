import { type Config, loadConfig } from '../../../../app/config';
import { Admission, allowedByRules } from '../../../../app/services/intake/admission';
import { MemoryAdmissionCounts } from '../../../../app/store/memoryAdmissionCounts';
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
  it('limits messages per minute per user, and frees the window after a minute', async () => {
    let now = 0;
    const { config, agent } = agentWith({ USER_MESSAGES_PER_MINUTE: '2' });
    const admission = new Admission(config, () => now, new MemoryAdmissionCounts());
    const kinds = [];
    for (let i = 0; i < 3; i += 1) kinds.push((await admission.check(agent, single('u'))).kind);
    expect(kinds).toEqual(['admit', 'admit', 'refuse']);
    expect((await admission.check(agent, single('someone-else'))).kind).toBe('admit');
    now = 60_001;
    expect((await admission.check(agent, single('u'))).kind).toBe('admit');
  });

  it('counts an admitted turn as running until it is let go', async () => {
    const { config, agent } = agentWith({ USER_CONCURRENT_TURNS: '1', USER_MESSAGES_PER_MINUTE: '0' });
    const admission = new Admission(config, () => 0, new MemoryAdmissionCounts());
    expect((await admission.check(agent, single('u'), 'turn-1')).kind).toBe('admit');
    await expect(admission.check(agent, single('u'), 'turn-2')).resolves.toMatchObject({
      kind: 'refuse',
      cause: 'too_many_running',
      text: config.texts.TOO_MANY_RUNNING,
    });
    admission.leave(single('u'), 'turn-1');
    expect((await admission.check(agent, single('u'), 'turn-2')).kind).toBe('admit');
  });

  it('refuses a denied user before counting anything', async () => {
    const { config, agent } = agentWith({ ACCESS_DENY_USERS: 'bad', USER_MESSAGES_PER_MINUTE: '1' });
    const admission = new Admission(config, () => 0, new MemoryAdmissionCounts());
    await expect(admission.check(agent, single('bad'))).resolves.toMatchObject({ cause: 'access_denied' });
    expect((await admission.check(agent, single('good'))).kind).toBe('admit');
    await expect(admission.check(agent, single('good'))).resolves.toMatchObject({
      cause: 'rate_limited',
      text: config.texts.RATE_LIMITED,
    });
  });
});
