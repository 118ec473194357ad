import { type HilConfig, MCP_DEFAULTS } from '../../app/config/hil';
import { hashApiKey } from '../../app/hil/store/apiKeys';
import type { HilRequest, LoopType, NewHilRequest } from '../../app/hil/store/hilRequests';
import { hashPassword } from '../../app/hil/services/passwords';
import { migrate } from '../../app/store/migrations';
import { MIGRATIONS } from '../../app/store/schema';
import { forEachDatabase } from '../helpers/databases';
import { type AdminHarness, startAdmin } from './hilAdminKit';

const ADMIN = { email: 'admin@example.com', password: 'admin-password-1' };
const ENV_KEY = 'env-key-0123456789abcdef';
const config: HilConfig = {
  apiKeys: new Map([['agent-env', ENV_KEY]]),
  requestTtlMs: 86_400_000,
  defaultBot: undefined,
  expirySweepMs: 10_000,
  secretKey: 'integration-secret-key-of-32-characters-or-more',
  firstSuperuser: ADMIN,
  accessTokenTtlMs: 3_600_000,
  keySettings: new Map(),
  mcpPathToken: undefined,
  callbackAllowPrivateNetworks: false,
  callbackRetryDelaysMs: [1000],
  mcp: MCP_DEFAULTS,
};
const JAN_10 = Date.UTC(2025, 0, 10, 12);
const JAN_20 = Date.UTC(2025, 0, 20, 23, 59, 59, 500);
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

type Json = Record<string, unknown>;

function newRequest(n: number, loopType: LoopType, platform: string, owner = 'agent-env'): NewHilRequest {
  return {
    owner,
    platform,
    conversationId: `conv-${n}`,
    requestId: `req-${n}`,
    taskId: 'task-1',
    loopType,
    context: { message: `question ${n}` },
    metadata: { approverid: 'zhangsan' },
    target: { botKey: 'bot-a', chattype: 'single', chatid: 'zhangsan' },
    approvers: [],
    delivery: 'queued',
    cardTaskId: null,
    expiresAt: Date.now() + 86_400_000,
  };
}

forEachDatabase('admin API (gohumanloophub parity, hil.md §2.9)', (getDb) => {
  let hub: AdminHarness;
  let token: string;
  const made: Record<string, HilRequest> = {};

  async function call(
    method: string,
    path: string,
    body?: unknown,
    auth: string | null = token,
  ): Promise<{
    status: number;
    json: Json;
    headers: Headers;
  }> {
    const headers: Record<string, string> = {};
    if (auth !== null) headers['authorization'] = `Bearer ${auth}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const init: RequestInit = { method, headers };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const res = await fetch(hub.base + path, init);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    return { status: res.status, json: (await res.json()) as Json, headers: res.headers };
  }

  async function login(username: string, password: string): Promise<{ status: number; json: Json }> {
    const res = await fetch(`${hub.base}/api/v1/login/access-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password, grant_type: 'password' }).toString(),
    });
    return { status: res.status, json: (await res.json()) as Json };
  }

  beforeAll(async () => {
    await migrate(getDb(), MIGRATIONS);
    hub = await startAdmin(getDb(), config);
    const specs: [string, LoopType, string, number, string?][] = [
      ['a1', 'approval', 'wework', JAN_10],
      ['a2', 'approval', 'wechat', JAN_20],
      ['a3', 'approval', 'wework', JAN_20],
      ['i1', 'information', 'wework', JAN_10],
      ['c1', 'conversation', 'feishu', JAN_20, 'agent-b'],
      ['b1', 'approval', 'wework', JAN_10],
      ['b2', 'information', 'wework', JAN_10],
    ];
    let n = 0;
    for (const [name, type, platform, at, owner] of specs) {
      made[name] = (await hub.requests.create(newRequest((n += 1), type, platform, owner), at)).request;
    }
  });

  afterAll(async () => {
    await hub.close();
  });

  it('logs in the first superuser with the OAuth2 form; a wrong login answers like the hub', async () => {
    const ok = await login('Admin@Example.com', ADMIN.password);
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ success: true, error: null, token_type: 'bearer' });
    expect(ok.json['data']).toEqual({ access_token: ok.json['access_token'], token_type: 'bearer' });
    token = String(ok.json['access_token']);
    expect(token.split('.')).toHaveLength(3);
    const failure = { success: false, error: 'Incorrect email or password', detail: 'Incorrect email or password' };
    expect(await login(ADMIN.email, 'wrong-password')).toEqual({ status: 200, json: { ...failure, data: null } });
    expect(await login('nobody@example.com', ADMIN.password)).toEqual({
      status: 200,
      json: { ...failure, data: null },
    });
    const empty = await fetch(`${hub.base}/api/v1/login/access-token`, { method: 'POST' });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ success: false });
  });

  it('refuses the admin API without a token, with a bad one, with an API key, and for inactive operators', async () => {
    const none = await call('GET', '/api/v1/admin/humanloop/requests', undefined, null);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(none.json).toMatchObject({ success: false, error: 'Not authenticated' });
    for (const bad of ['not-a-jwt', `${token}x`, ENV_KEY]) {
      const res = await call('GET', '/api/v1/admin/humanloop/stats', undefined, bad);
      expect(res.status).toBe(401);
      expect(res.json).toMatchObject({ success: false, error: 'Could not validate credentials' });
    }
    expect((await call('GET', '/api/v1/api-keys', undefined, null)).status).toBe(401);
    const { operator } = await hub.operators.create('gone@example.com', 'Gone', await hashPassword('gone-password'));
    await getDb().query('UPDATE operators SET is_active = false WHERE id = $1', [operator.id]);
    const inactive = await call('GET', '/api/v1/admin/humanloop/stats', undefined, await hub.tokens.sign(operator.id));
    expect(inactive).toMatchObject({ status: 403, json: { success: false, error: 'Inactive user' } });
    expect((await login('gone@example.com', 'gone-password')).json).toMatchObject({ success: false });
  });

  it('lists requests newest first with count, skip and limit', async () => {
    const all = await call('GET', '/api/v1/admin/humanloop/requests');
    expect(all.status).toBe(200);
    expect(all.json).toMatchObject({ success: true, error: null, count: 7, skip: 0, limit: 100 });
    const rows = all.json['data'] as Json[];
    expect(rows).toHaveLength(7);
    expect(rows.slice(0, 3).every((row) => String(row['created_at']).startsWith('2025-01-20'))).toBe(true);
    const page = await call('GET', '/api/v1/admin/humanloop/requests?skip=2&limit=3');
    expect(page.json).toMatchObject({ count: 7, skip: 2, limit: 3 });
    expect((page.json['data'] as Json[]).map((r) => r['id'])).toEqual(rows.slice(2, 5).map((r) => r['id']));
    const capped = await call('GET', '/api/v1/admin/humanloop/requests?limit=5000');
    expect(capped.json).toMatchObject({ success: true, limit: 1000, count: 7 });
    for (const bad of ['skip=-1', 'limit=abc', 'skip=1.5']) {
      const res = await call('GET', `/api/v1/admin/humanloop/requests?${bad}`);
      expect(res.status).toBe(422);
      expect(res.json).toMatchObject({ success: false });
    }
  });

  it('filters by loop_type, status, platform, owner and created_at days; unknown values match nothing', async () => {
    const count = async (query: string): Promise<unknown> =>
      (await call('GET', `/api/v1/admin/humanloop/requests?${query}`)).json['count'];
    expect(await count('loop_type=approval')).toBe(4);
    expect(await count('loop_type=information')).toBe(2);
    expect(await count('status=pending')).toBe(7);
    expect(await count('platform=wework')).toBe(5);
    expect(await count('platform=wework&loop_type=approval')).toBe(3);
    expect(await count('owner=agent-b')).toBe(1);
    expect(await count('created_at_start=2025-01-11')).toBe(3);
    expect(await count('created_at_end=2025-01-19')).toBe(4);
    // The end day is inclusive to its last moment (JAN_20 is 23:59:59.5).
    expect(await count('created_at_start=2025-01-20&created_at_end=2025-01-20')).toBe(3);
    expect(await count('loop_type=nonsense')).toBe(0);
    expect(await count('status=nonsense')).toBe(0);
    expect(await count('platform=nowhere')).toBe(0);
    // Like the hub: a date that does not parse is no filter, an empty value is no filter.
    expect(await count('created_at_start=2025-02-30&created_at_end=yesterday&loop_type=')).toBe(7);
  });

  it('gets one request as HumanLoopRequestPublic: 400 for no uuid, 404 when unknown', async () => {
    const bad = await call('GET', '/api/v1/admin/humanloop/requests/not-a-uuid');
    expect(bad).toMatchObject({ status: 400, json: { success: false, error: 'Invalid request ID format' } });
    const unknown = await call('GET', `/api/v1/admin/humanloop/requests/${UNKNOWN_ID}`);
    expect(unknown).toMatchObject({ status: 404, json: { success: false, error: 'Request not found' } });
    const a1 = made['a1']!;
    const found = await call('GET', `/api/v1/admin/humanloop/requests/${a1.id}`);
    expect(found.status).toBe(200);
    expect(found.json).toEqual({
      success: true,
      error: null,
      data: {
        id: a1.id,
        task_id: 'task-1',
        conversation_id: a1.conversationId,
        request_id: a1.requestId,
        loop_type: 'approval',
        platform: 'wework',
        status: 'pending',
        context: a1.context,
        metadata: {
          approverid: 'zhangsan',
          delivery: 'queued',
          target: { bot: 'bot-a', chattype: 'single', chatid: 'zhangsan' },
          short_id: a1.shortId,
        },
        response: null,
        feedback: null,
        responded_by: null,
        responded_at: null,
        created_at: new Date(JAN_10).toISOString(),
        updated_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        owner_id: 'agent-env',
      },
    });
  });

  it('answers an approval once, as the operator, and refuses bad actions, types, ids and bodies', async () => {
    const a1 = made['a1']!;
    const path = '/api/v1/admin/humanloop/approval';
    const ok = await call('POST', path, { request_id: a1.id, action: 'approved', feedback: 'fine' });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ success: true, error: null, data: { status: 'approved', feedback: 'fine' } });
    expect(ok.json['data']).toMatchObject({ responded_by: ADMIN.email, response: { decision: 'approved' } });
    expect(String((ok.json['data'] as Json)['responded_at'])).toMatch(/Z$/);
    const again = await call('POST', path, { request_id: a1.id, action: 'rejected' });
    expect(again.json).toEqual({ success: false, error: 'Cannot process request with status: approved' });
    expect((await call('POST', path, { request_id: a1.id, action: 'maybe' })).json).toEqual({
      success: false,
      error: "Invalid action. Must be 'approved' or 'rejected'",
    });
    const wrongType = await call('POST', path, { request_id: made['i1']!.id, action: 'approved' });
    expect(wrongType.json).toMatchObject({ success: false, error: expect.stringContaining('type mismatch') });
    expect((await call('POST', path, { request_id: 'nope', action: 'approved' })).json).toEqual({
      success: false,
      error: 'Invalid request ID format',
    });
    expect((await call('POST', path, { request_id: UNKNOWN_ID, action: 'approved' })).json).toEqual({
      success: false,
      error: 'Request not found',
    });
    const rejected = await call('POST', path, {
      request_id: made['a2']!.id,
      action: 'rejected',
      response: { reason: 'too risky' },
    });
    expect(rejected.json).toMatchObject({
      success: true,
      data: { status: 'rejected', response: { reason: 'too risky' } },
    });
    for (const body of ['{"request_id": "secret-in-a-broken-body', { request_id: 7, action: 'approved' }, [], '']) {
      const res = await call('POST', path, body);
      expect(res.status).toBe(400);
      expect(res.json['success']).toBe(false);
      expect(String(res.json['error'])).not.toContain('secret-in-a-broken-body');
    }
  });

  it('completes information and moves a conversation to inprogress, then completed', async () => {
    const info = await call('POST', '/api/v1/admin/humanloop/information', {
      request_id: made['i1']!.id,
      response: { information: '42' },
    });
    expect(info.json).toMatchObject({ success: true, data: { status: 'completed', response: { information: '42' } } });
    const missing = await call('POST', '/api/v1/admin/humanloop/information', { request_id: made['b2']!.id });
    expect(missing.status).toBe(400);
    const conv = '/api/v1/admin/humanloop/conversation';
    const turn = await call('POST', conv, { request_id: made['c1']!.id, response: 'hello' });
    expect(turn.json).toMatchObject({ success: true, data: { status: 'inprogress', response: { message: 'hello' } } });
    const last = await call('POST', conv, {
      request_id: made['c1']!.id,
      response: { message: 'bye' },
      is_complete: true,
    });
    expect(last.json).toMatchObject({ success: true, data: { status: 'completed' } });
    expect((await call('POST', conv, { request_id: made['c1']!.id, response: 'late' })).json).toMatchObject({
      success: false,
    });
  });

  it('processes a batch id by id, joining the errors, success when at least one went through', async () => {
    const path = '/api/v1/admin/humanloop/batch';
    const ids = [made['a3']!.id, 'bad-id', UNKNOWN_ID, made['a1']!.id];
    const mixed = await call('POST', path, { request_ids: ids, action: 'rejected', feedback: 'batch' });
    expect(mixed.json).toMatchObject({ success: true, processed: 1, failed: 3 });
    const error = String(mixed.json['error']);
    expect(error).toMatch(/^Processed 1 requests\. Errors: /);
    expect(error).toContain('Invalid request ID format: bad-id');
    expect(error).toContain(`Request ${UNKNOWN_ID} not found`);
    expect(error).toContain(`Request ${made['a1']!.id}: Cannot process request with status: approved`);
    const cancelled = await call('POST', path, { request_ids: [made['b1']!.id, made['b2']!.id], action: 'cancelled' });
    expect(cancelled.json).toEqual({ success: true, error: null, processed: 2, failed: 0 });
    const none = await call('POST', path, { request_ids: [made['b1']!.id], action: 'cancelled' });
    expect(none.json).toMatchObject({ success: false, processed: 0, failed: 1 });
    expect((await call('POST', path, { request_ids: [], action: 'cancelled' })).json).toEqual({
      success: false,
      error: 'Request IDs cannot be empty',
    });
    expect((await call('POST', path, { request_ids: ids, action: 'completed' })).json).toMatchObject({
      success: false,
      error: "Invalid action. Must be 'approved', 'rejected', or 'cancelled'",
    });
  });

  it('forces any of the eight statuses by id, refusing others', async () => {
    const path = (id: string, q: string): string => `/api/v1/admin/humanloop/requests/${id}/status${q}`;
    const set = await call('POST', path(made['b1']!.id, '?status=expired'));
    expect(set.json).toMatchObject({ success: true, data: { status: 'expired' } });
    expect((await call('POST', path(made['b1']!.id, '?status=done'))).json).toEqual({
      success: false,
      error:
        'Invalid status. Must be one of: pending, inprogress, completed, cancelled, approved, rejected, error, expired',
    });
    expect((await call('POST', path(made['b1']!.id, ''))).status).toBe(422);
    expect((await call('POST', path('bad', '?status=pending'))).json).toMatchObject({ success: false });
    expect((await call('POST', path(UNKNOWN_ID, '?status=pending'))).json).toEqual({
      success: false,
      error: 'Request not found',
    });
  });

  it('counts by status, type and platform with the hub keys', async () => {
    const stats = await call('GET', '/api/v1/admin/humanloop/stats');
    expect(stats.json).toEqual({
      success: true,
      error: null,
      data: {
        by_status: {
          pending: 0,
          inprogress: 0,
          completed: 2,
          cancelled: 1,
          approved: 1,
          rejected: 2,
          error: 0,
          expired: 1,
        },
        by_type: { conversation: 1, approval: 4, information: 2 },
        by_platform: { wechat: 1, feishu: 1, other: 0, wework: 5 },
        total: 7,
      },
    });
    expect(Object.keys((stats.json['data'] as Json)['by_status'] as Json)[0]).toBe('pending');
  });

  it('makes, lists and revokes API keys: the key is shown once, only its hash is stored', async () => {
    const created = await call('POST', '/api/v1/api-keys/', { name: 'agent-new', description: 'ci' });
    expect(created.status).toBe(201);
    const data = created.json['data'] as Json;
    expect(data).toMatchObject({ name: 'agent-new', is_active: true, created_by: ADMIN.email, revoked_at: null });
    const key = String(data['key']);
    expect(key).toMatch(/^ghl_/);
    expect(data['key_prefix']).toBe(key.slice(0, 8));
    const { rows } = await getDb().query<Json>('SELECT * FROM hil_api_keys WHERE name = $1', ['agent-new']);
    expect(rows[0]?.['key_hash']).toBe(hashApiKey(key));
    expect(JSON.stringify(rows)).not.toContain(key);
    expect(await hub.keyAuth.identify(`Bearer ${key}`)).toBe('agent-new');

    for (const name of ['agent-new', 'agent-env']) {
      const dup = await call('POST', '/api/v1/api-keys', { name });
      expect(dup).toMatchObject({ status: 200, json: { success: false, data: null } });
    }
    expect((await call('POST', '/api/v1/api-keys', { name: '' })).status).toBe(400);
    await call('POST', '/api/v1/api-keys', { name: 'agent-second' });

    const list = await call('GET', '/api/v1/api-keys?limit=1');
    expect(list.json).toMatchObject({ success: true, count: 2, skip: 0, limit: 1 });
    expect(JSON.stringify((await call('GET', '/api/v1/api-keys')).json)).not.toMatch(/"key"|key_hash|ghl_[\w-]{20}/);
    expect((await call('GET', '/api/v1/api-keys?limit=0')).status).toBe(422);

    const id = String(data['id']);
    expect((await call('GET', `/api/v1/api-keys/${id}`)).json).toMatchObject({ success: true, data: { id } });
    expect((await call('PATCH', `/api/v1/api-keys/${id}`, { name: 'renamed' })).json).toMatchObject({ success: false });
    const removed = await call('DELETE', `/api/v1/api-keys/${id}`);
    expect(removed.json).toEqual({ success: true, error: null, data: { message: 'API Key revoked' } });
    expect(await hub.keyAuth.identify(`Bearer ${key}`)).toBeUndefined();
    expect((await call('GET', `/api/v1/api-keys/${id}`)).json).toMatchObject({ data: { is_active: false } });
    expect((await call('PATCH', `/api/v1/api-keys/${id}`, { is_active: true })).json).toMatchObject({ success: false });
    expect((await call('DELETE', `/api/v1/api-keys/${UNKNOWN_ID}`)).json).toMatchObject({ success: false });
    expect((await call('DELETE', '/api/v1/api-keys/not-a-uuid')).json).toMatchObject({ success: false });
    // The hub's PATCH is_active=false is a revoke too.
    const second = (await call('GET', '/api/v1/api-keys')).json['data'] as Json[];
    const other = second.find((k) => k['name'] === 'agent-second')!;
    expect((await call('PATCH', `/api/v1/api-keys/${String(other['id'])}`, { is_active: false })).json).toMatchObject({
      success: true,
      data: { is_active: false },
    });
  });

  it('answers JSON 404 under its prefixes and never logs passwords, tokens or keys', async () => {
    expect((await call('GET', '/api/v1/admin/humanloop/nothing-here')).status).toBe(404);
    expect((await call('GET', '/api/v1/login/elsewhere', undefined, null)).status).toBe(404);
    const text = hub.logs.join('');
    expect(text).toContain('first admin operator created');
    for (const secret of [ADMIN.password, token, ENV_KEY, 'ghl_', config.secretKey!]) {
      expect(text).not.toContain(secret);
    }
  });
});
