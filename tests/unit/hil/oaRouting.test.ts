import { routesToOa } from '../../../app/hil/services/oaRouting';
import { AES_KEY_A, config } from '../config/configTestHelpers';

const APP_ENV = {
  WECOM_CORP_ID: 'ww0123456789abcdef',
  WECOM_APP_AGENT_ID: '1000002',
  WECOM_APP_SECRET: 'app-secret-0123456789-abcdef',
  WECOM_APP_TOKEN: 'callback-token-0123456789',
  WECOM_APP_ENCODING_AES_KEY: AES_KEY_A,
  WECOM_APPROVAL_CREATOR_USERID: 'robot',
  WECOM_APPROVAL_DEFAULT_APPROVER: 'boss',
  WECOM_APPROVAL_TEMPLATE_ID: 'tpl-a',
  WECOM_INFO_TEMPLATE_ID: 'tpl-i',
};

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
