import { routesToOa } from '../../../app/hil/services/oaRouting';
import { APP_ENV, config } from '../config/configTestHelpers';

describe('routesToOa: which requests go to the 审批 app', () => {
  const oaByDefault = config({ ...APP_ENV, HIL_APPROVAL_BACKEND: 'oa' });
  const chatByDefault = config(APP_ENV);

  it('follows metadata.backend first, then HIL_APPROVAL_BACKEND', () => {
    expect(routesToOa(oaByDefault, {})).toBe(true);
    expect(routesToOa(oaByDefault, { backend: 'chat' })).toBe(false);
    expect(routesToOa(chatByDefault, {})).toBe(false);
    expect(routesToOa(chatByDefault, { backend: 'oa' })).toBe(true);
  });

  it('keeps a request answered by the chat next message (a hil-mcp session) in its chat', () => {
    expect(routesToOa(oaByDefault, { capture: 'next_message', source: 'hil-mcp' })).toBe(false);
    expect(routesToOa(oaByDefault, { capture: 'next_message', backend: 'oa' })).toBe(true);
  });

  it('sends nothing to the 审批 app without a self-built app', () => {
    expect(routesToOa(config({}), { backend: 'oa' })).toBe(false);
  });
});
