import { loadConfig } from '../../../app/config';
import { mayAnswer, resolveTarget } from '../../../app/hil/services/hilTargets';

const AES = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const one = loadConfig({ WECOM_TOKEN: 't', WECOM_ENCODING_AES_KEY: AES }).config;
const two = loadConfig({
  WECOM_TOKEN: 't',
  WECOM_ENCODING_AES_KEY: AES,
  WECOM_BOTS: JSON.stringify({ sales: { token: 't2', encodingAesKey: AES } }),
}).config;

describe('resolveTarget', () => {
  it('a userid is a single chat of the only bot; approverid alone also names a single chat', () => {
    expect(resolveTarget(one, { userid: 'zhang' })).toEqual({
      ok: true,
      target: { botKey: '*', chattype: 'single', chatid: 'zhang' },
      approvers: [],
    });
    expect(resolveTarget(one, { approverid: ['li', 'wang', 'li'] })).toMatchObject({
      target: { chattype: 'single', chatid: 'li' },
      approvers: ['li', 'wang'],
    });
  });

  it('a chatid is a group unless chattype says single; approverid may be a comma list', () => {
    expect(resolveTarget(one, { chatid: 'wr1', approverid: 'a,b' })).toMatchObject({
      target: { chattype: 'group', chatid: 'wr1' },
      approvers: ['a', 'b'],
    });
  });

  it('with several bots metadata.bot or HIL_DEFAULT_BOT decides; an unknown bot or no recipient is an error', () => {
    expect(resolveTarget(two, { userid: 'u' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('HIL_DEFAULT_BOT'),
    });
    expect(resolveTarget(two, { userid: 'u', bot: 'sales' })).toMatchObject({ target: { botKey: 'sales' } });
    expect(resolveTarget(two, { userid: 'u', bot: 'nope' })).toEqual({ ok: false, error: 'unknown bot: nope' });
    expect(resolveTarget(one, {})).toMatchObject({ ok: false, error: expect.stringContaining('no recipient') });
  });
});

describe('mayAnswer', () => {
  const single = { target: { botKey: '*', chattype: 'single' as const, chatid: 'zhang' }, approvers: [] };
  const group = { target: { botKey: '*', chattype: 'group' as const, chatid: 'wr1' }, approvers: [] };
  it('approvers when named; else the single chat user, or anyone in the same group', () => {
    expect(mayAnswer({ ...single, approvers: ['boss'] }, 'zhang', true)).toBe(false);
    expect(mayAnswer({ ...single, approvers: ['boss'] }, 'boss', false)).toBe(true);
    expect(mayAnswer(single, 'zhang', true)).toBe(true);
    expect(mayAnswer(single, 'li', true)).toBe(false);
    expect(mayAnswer(group, 'li', true)).toBe(true);
    expect(mayAnswer(group, 'li', false)).toBe(false);
  });
});
