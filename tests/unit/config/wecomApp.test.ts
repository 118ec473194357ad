import { APP_ENV, AES_KEY_A, config, configError, configTexts, errorTexts, expectNoSecret } from './configTestHelpers';

describe('loadConfig: the WeCom self-built app and formal approvals (issue #16)', () => {
  it('has defaults: the chat backend, a 5-minute poll, no app', () => {
    const { approvals } = config({});
    expect(approvals).toEqual({ backend: 'chat', pollMs: 300_000, app: undefined });
  });

  it('reads the app with the public API by default, and keeps its secrets out of JSON and logs', () => {
    const { approvals } = config({ ...APP_ENV, HIL_APPROVAL_BACKEND: 'oa', WECOM_APPROVAL_POLL_SECONDS: '60' });
    expect(approvals.backend).toBe('oa');
    expect(approvals.pollMs).toBe(60_000);
    expect(approvals.app).toMatchObject({
      corpId: 'ww0123456789abcdef',
      agentId: 1000002,
      apiBaseUrl: 'https://qyapi.weixin.qq.com',
      creatorUserid: 'robot',
      defaultApprover: 'boss',
      approvalTemplateId: 'tpl-a',
      infoTemplateId: 'tpl-i',
      secret: APP_ENV.WECOM_APP_SECRET,
      token: APP_ENV.WECOM_APP_TOKEN,
    });
    expect(approvals.app?.aesKey).toHaveLength(32);
    const shown = configTexts(config(APP_ENV));
    expectNoSecret(shown, APP_ENV.WECOM_APP_SECRET);
    expectNoSecret(shown, APP_ENV.WECOM_APP_TOKEN);
    expectNoSecret(shown, AES_KEY_A);
  });

  it('is all or nothing: a half-configured app names what is missing, never a value', () => {
    const { WECOM_APP_TOKEN: _t, WECOM_INFO_TEMPLATE_ID: _i, ...half } = APP_ENV;
    const error = configError(half);
    expect(error.problems).toEqual([
      'the WeCom self-built app needs every one of its variables; missing: WECOM_APP_TOKEN, WECOM_INFO_TEMPLATE_ID',
    ]);
    for (const text of errorTexts(error)) expect(text).not.toContain(APP_ENV.WECOM_APP_SECRET);
  });

  it('refuses backend=oa without the app, a bad key, agent id, URL or poll interval', () => {
    expect(configError({ HIL_APPROVAL_BACKEND: 'oa' }).problems).toEqual([
      'HIL_APPROVAL_BACKEND=oa needs the WeCom self-built app (WECOM_CORP_ID, WECOM_APP_* and WECOM_APPROVAL_*)',
    ]);
    expect(configError({ HIL_APPROVAL_BACKEND: 'dingtalk' }).problems).toEqual([
      'HIL_APPROVAL_BACKEND must be one of chat, oa',
    ]);
    const bad = configError({
      ...APP_ENV,
      WECOM_APP_ENCODING_AES_KEY: 'short',
      WECOM_APPROVAL_POLL_SECONDS: '0',
    }).problems;
    expect(bad).toEqual([
      'WECOM_APP_ENCODING_AES_KEY must be 43 characters of [A-Za-z0-9] (got 5 characters)',
      'WECOM_APPROVAL_POLL_SECONDS must be between 1 and 86400 (got 0)',
    ]);
    expect(configError({ ...APP_ENV, WECOM_APP_AGENT_ID: 'x1', WECOM_API_BASE_URL: 'ftp://x' }).problems).toEqual([
      'WECOM_APP_AGENT_ID must be a number',
      'WECOM_API_BASE_URL must be an http(s) URL',
    ]);
  });
});
