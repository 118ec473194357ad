/**
 * What the formal-approval tests (issue #16) share: the fake WeCom API, a gateway configured with the
 * self-built app pointing at it, and the callbacks WeCom would post once an approval changes.
 */
import { APP, type FakeWecomApi, changeXml, startFakeWecomApi } from '../../fakes/fakeWecomApi';
import { type CallbackAnswer, postAppCallback } from '../../fakes/fakeWecomApi/callbacks';
import type { Harness } from '../harness';
import { startHilHarness } from './hilKit';

export function appEnv(api: FakeWecomApi, extra: Record<string, string> = {}): Record<string, string> {
  return {
    WECOM_CORP_ID: APP.corpId,
    WECOM_APP_AGENT_ID: APP.agentId,
    WECOM_APP_SECRET: APP.secret,
    WECOM_APP_TOKEN: APP.token,
    WECOM_APP_ENCODING_AES_KEY: APP.encodingAesKey,
    WECOM_API_BASE_URL: api.origin,
    WECOM_APPROVAL_CREATOR_USERID: APP.creator,
    WECOM_APPROVAL_DEFAULT_APPROVER: APP.defaultApprover,
    WECOM_APPROVAL_TEMPLATE_ID: APP.approvalTemplate,
    WECOM_INFO_TEMPLATE_ID: APP.infoTemplate,
    HIL_APPROVAL_BACKEND: 'oa',
    ...extra,
  };
}

export interface OaHarness {
  readonly h: Harness;
  readonly api: FakeWecomApi;
  close(): Promise<void>;
}

export async function startOaHarness(extra: Record<string, string> = {}): Promise<OaHarness> {
  const api = await startFakeWecomApi();
  const h = await startHilHarness(appEnv(api, extra));
  return {
    h,
    api,
    close: async () => {
      await h.close();
      await api.close();
    },
  };
}

/** WeCom's sys_approval_change for the approval as the fake holds it now. */
export function sendChange(o: OaHarness, spNo: string): Promise<CallbackAnswer> {
  return postAppCallback(
    o.h.url,
    changeXml(o.api.approval(spNo), APP.corpId, APP.agentId, Math.floor(Date.now() / 1000)),
  );
}

/** The sp_no the gateway filed last (the fake numbers them in order). */
export function lastSpNo(api: FakeWecomApi): string {
  const all = [...api.approvals.keys()];
  const last = all[all.length - 1];
  if (last === undefined) throw new Error('nothing was filed');
  return last;
}

/**
 * The outcomes the gateway logged for an sp_no's changes, in order, once there are `count` of them
 * (the logger flushes every 250 ms; waits up to 3 s).
 */
export async function outcomesOf(h: Harness, spNo: string, count: number): Promise<string[]> {
  const read = (): string[] =>
    h.logs.filter((l) => l['msg'] === 'WeCom approval change' && l['spNo'] === spNo).map((l) => String(l['outcome']));
  for (let i = 0; i < 120 && read().length < count; i += 1) await new Promise((r) => setTimeout(r, 25));
  return read();
}
