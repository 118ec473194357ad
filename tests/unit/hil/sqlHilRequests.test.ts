import type { HilAnswer, HilRequest, NewHilRequest } from '../../../app/hil/store/hilRequests';
import { SqlHilRequests } from '../../../app/hil/store/sqlHilRequests';
import { migrate } from '../../../app/store/migrations';
import { MIGRATIONS } from '../../../app/store/schema';
import { forEachDatabase } from '../../helpers/databases';

/** A time with milliseconds, to see they survive the round trip. */
const T0 = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
const MINUTE = 60_000;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

let seq = 0;

function newRequest(overrides: Partial<NewHilRequest> = {}): NewHilRequest {
  seq++;
  return {
    owner: 'key-a',
    platform: 'wecom',
    conversationId: `conv-${seq}`,
    requestId: `req-${seq}`,
    taskId: `task-${seq}`,
    loopType: 'approval',
    context: { message: { title: '报销审批', amount: 1200.5, items: ['taxi', 'hotel'] }, nested: { deep: [{ a: 1 }] } },
    metadata: { source: 'unit-test', tags: [] },
    target: { botKey: 'bot-1', chattype: 'single', chatid: 'alice' },
    approvers: ['alice', 'bob'],
    delivery: 'delivered',
    cardTaskId: null,
    expiresAt: T0 + 10 * MINUTE,
    ...overrides,
  };
}

function approval(overrides: Partial<HilAnswer> = {}): HilAnswer {
  return {
    status: 'approved',
    response: { decision: 'approve' },
    feedback: { comment: '同意' },
    respondedBy: 'alice',
    respondedAt: T0 + MINUTE + 7,
    ...overrides,
  };
}

/** A generator of short ids that hands out the given ones, then fails: lets a test force collisions. */
function scripted(ids: string[]): { draw: () => string; drawn: () => number } {
  let next = 0;
  return {
    draw: () => {
      const id = ids[next++];
      if (id === undefined) throw new Error('no more scripted short ids');
      return id;
    },
    drawn: () => next,
  };
}

forEachDatabase('SqlHilRequests', (getDb) => {
  beforeAll(async () => {
    await migrate(getDb(), MIGRATIONS);
  });

  beforeEach(async () => {
    // Each test starts from empty tables: anyOpen, expireDue and stats look at every row (CASCADE: the
    // tables of later schema versions that reference hil_requests: dify_forms v8, hil_oa_approvals v9).
    await getDb().query('TRUNCATE hil_requests, hil_replies, hil_comment_waits, hil_task_syncs CASCADE');
  });

  const store = (draw?: () => string): SqlHilRequests => new SqlHilRequests(getDb(), draw);

  async function created(input: NewHilRequest = newRequest(), now = T0, hil = store()): Promise<HilRequest> {
    const result = await hil.create(input, now);
    expect(result.created).toBe(true);
    return result.request;
  }

  describe('create', () => {
    it('stores every field and reads it back the same, timestamps to the ms', async () => {
      const input = newRequest({ cardTaskId: 'card-1', delivery: 'queued' });
      const request = await created(input, T0);
      expect(request).toEqual({
        ...input,
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        status: 'pending',
        response: null,
        feedback: null,
        respondedBy: null,
        respondedAt: null,
        shortId: expect.stringMatching(/^[0-9a-f]{8}$/),
        createdAt: T0,
        updatedAt: T0,
      });
      expect(request.expiresAt).toBe(T0 + 10 * MINUTE);
      expect(await store().byId(request.id)).toEqual(request);
    });

    it('returns the existing request unchanged for the same client ids', async () => {
      const input = newRequest();
      const first = await created(input, T0);
      const again = await store().create({ ...input, taskId: 'other-task', context: { changed: true } }, T0 + MINUTE);
      expect(again).toEqual({ request: first, created: false });
      const { rows } = await getDb().query<{ n: number }>('SELECT count(*)::int AS n FROM hil_requests');
      expect(rows[0]?.n).toBe(1);
    });

    it('makes a new request when the owner, platform or conversation differs', async () => {
      const input = newRequest();
      const first = await created(input);
      const otherOwner = await created({ ...input, owner: 'key-b' });
      const otherPlatform = await created({ ...input, platform: 'slack' });
      const otherConversation = await created({ ...input, conversationId: 'conv-other' });
      const ids = new Set([first.id, otherOwner.id, otherPlatform.id, otherConversation.id]);
      expect(ids.size).toBe(4);
      expect(await store().byClientIds('key-b', 'wecom', input.conversationId, input.requestId)).toEqual(otherOwner);
      expect(await store().byClientIds('key-c', 'wecom', input.conversationId, input.requestId)).toBeUndefined();
    });

    it('creates once when the same request arrives concurrently', async () => {
      const input = newRequest();
      const results = await Promise.all([1, 2, 3, 4].map(() => store().create(input, T0)));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.request.id)).size).toBe(1);
    });

    it('draws short ids that are distinct among open requests', async () => {
      const requests = await Promise.all(Array.from({ length: 100 }, () => created()));
      const shortIds = requests.map((r) => r.shortId);
      expect(new Set(shortIds).size).toBe(100);
      for (const id of shortIds) expect(id).toMatch(/^[0-9a-f]{8}$/);
    });

    it('draws again when the short id is taken by an open request', async () => {
      const ids = scripted(['aaaaaaaa', 'aaaaaaaa', 'aaaaaaaa', 'bbbbbbbb']);
      const first = await created(newRequest(), T0, store(ids.draw));
      const second = await created(newRequest(), T0, store(ids.draw));
      expect([first.shortId, second.shortId]).toEqual(['aaaaaaaa', 'bbbbbbbb']);
      expect(ids.drawn()).toBe(4);
    });

    it('gives up after a few draws that all collide, with the unique violation', async () => {
      await created(
        newRequest(),
        T0,
        store(() => 'cccccccc'),
      );
      let draws = 0;
      const colliding = store(() => {
        draws++;
        return 'cccccccc';
      });
      await expect(colliding.create(newRequest(), T0)).rejects.toMatchObject({
        code: '23505',
        constraint: 'hil_requests_open_short_id',
      });
      expect(draws).toBe(5);
    });

    it('does not retry other unique violations (a card task id already used on the bot)', async () => {
      await created(newRequest({ cardTaskId: 'card-x' }));
      let draws = 0;
      const counting = store(() => {
        draws++;
        return `0000000${draws}`;
      });
      await expect(counting.create(newRequest({ cardTaskId: 'card-x' }), T0)).rejects.toMatchObject({ code: '23505' });
      expect(draws).toBe(1);
      // The same card task id on another bot is another card.
      await created(newRequest({ cardTaskId: 'card-x', target: { botKey: 'bot-2', chattype: 'single', chatid: 'a' } }));
    });
  });

  describe('short ids', () => {
    it('can be reused once the request holding it closed; byShortId prefers the open one', async () => {
      const closed = await created(
        newRequest(),
        T0,
        store(() => 'dddddddd'),
      );
      await store().forceStatus(closed.id, 'completed', T0 + 5 * MINUTE);
      const open = await created(
        newRequest(),
        T0 + MINUTE,
        store(() => 'dddddddd'),
      );
      expect(open.shortId).toBe('dddddddd');
      // Updated later than the open one, still not preferred.
      expect((await store().byShortId('dddddddd'))?.id).toBe(open.id);
      expect((await store().byShortId('DDDDDDDD'))?.id).toBe(open.id);
    });

    it('finds the most recently updated closed one when none is open', async () => {
      const older = await created(
        newRequest(),
        T0,
        store(() => 'eeeeeeee'),
      );
      await store().forceStatus(older.id, 'expired', T0 + 3 * MINUTE);
      const newer = await created(
        newRequest(),
        T0 + MINUTE,
        store(() => 'eeeeeeee'),
      );
      await store().forceStatus(newer.id, 'approved', T0 + 2 * MINUTE);
      expect((await store().byShortId('eeeeeeee'))?.id).toBe(older.id);
      await store().forceStatus(newer.id, 'rejected', T0 + 4 * MINUTE);
      expect((await store().byShortId('eeeeeeee'))?.id).toBe(newer.id);
      expect(await store().byShortId('ffffffff')).toBeUndefined();
    });

    it('finds a row whose short id was written directly, next to a closed one', async () => {
      const closed = await created(
        newRequest(),
        T0,
        store(() => '12345678'),
      );
      await store().forceStatus(closed.id, 'cancelled', T0 + MINUTE);
      const other = await created(newRequest());
      await getDb().query(`UPDATE hil_requests SET short_id = '12345678' WHERE id = $1`, [other.id]);
      expect((await store().byShortId('12345678'))?.id).toBe(other.id);
    });

    it('reopening a request whose short id an open one took draws it a new one', async () => {
      const first = await created(
        newRequest(),
        T0,
        store(() => 'abcdabcd'),
      );
      await store().forceStatus(first.id, 'expired', T0 + MINUTE);
      const second = await created(
        newRequest(),
        T0,
        store(() => 'abcdabcd'),
      );
      const reopened = await store(() => '99999999').forceStatus(first.id, 'pending', T0 + 2 * MINUTE);
      expect(reopened).toMatchObject({ status: 'pending', shortId: '99999999' });
      expect((await store().byId(second.id))?.shortId).toBe('abcdabcd');
    });

    it('reopening keeps the short id when it is free', async () => {
      const first = await created(newRequest());
      await store().forceStatus(first.id, 'expired', T0 + MINUTE);
      const reopened = await store(() => '99999999').forceStatus(first.id, 'inprogress', T0 + 2 * MINUTE);
      expect(reopened?.shortId).toBe(first.shortId);
    });
  });

  describe('answer', () => {
    it('applies once: a second answer gets undefined and changes nothing', async () => {
      const request = await created();
      const answered = await store().answer(request.id, approval());
      expect(answered).toEqual({
        ...request,
        status: 'approved',
        response: { decision: 'approve' },
        feedback: { comment: '同意' },
        respondedBy: 'alice',
        respondedAt: T0 + MINUTE + 7,
        updatedAt: T0 + MINUTE + 7,
      });
      const second = await store().answer(
        request.id,
        approval({ status: 'rejected', respondedBy: 'bob', respondedAt: T0 + 2 * MINUTE }),
      );
      expect(second).toBeUndefined();
      expect(await store().byId(request.id)).toEqual(answered);
    });

    it('applies exactly one of concurrent answers', async () => {
      const request = await created();
      const people = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
      const results = await Promise.all(
        people.map((who, i) =>
          store().answer(request.id, approval({ respondedBy: who, status: i % 2 === 0 ? 'approved' : 'rejected' })),
        ),
      );
      const applied = results.filter((r) => r !== undefined);
      expect(applied).toHaveLength(1);
      const stored = await store().byId(request.id);
      expect(stored?.respondedBy).toBe(applied[0]?.respondedBy);
      expect(stored?.status).toBe(applied[0]?.status);
    });

    it('only moves from the statuses in `from`', async () => {
      const request = await created();
      expect(await store().answer(request.id, approval(), ['inprogress'])).toBeUndefined();
      expect((await store().byId(request.id))?.status).toBe('pending');
      await store().forceStatus(request.id, 'inprogress', T0 + 1);
      expect((await store().answer(request.id, approval({ status: 'completed' }), ['inprogress']))?.status).toBe(
        'completed',
      );
      // A closed status can be named too (an operator correcting an answer).
      expect(await store().answer(request.id, approval({ status: 'rejected' }))).toBeUndefined();
      const corrected = await store().answer(request.id, approval({ status: 'rejected' }), ['completed']);
      expect(corrected?.status).toBe('rejected');
    });

    it('keeps the feedback when absent, and sets it when given, null included', async () => {
      const request = await created();
      const step1 = await store().answer(request.id, approval({ status: 'inprogress', feedback: { note: 'x' } }));
      expect(step1?.feedback).toEqual({ note: 'x' });
      const { feedback: _omitted, ...withoutFeedback } = approval({ status: 'inprogress', response: { more: 1 } });
      const step2 = await store().answer(request.id, withoutFeedback);
      expect(step2).toMatchObject({ feedback: { note: 'x' }, response: { more: 1 } });
      const step3 = await store().answer(request.id, approval({ status: 'inprogress', feedback: null }));
      expect(step3?.feedback).toBeNull();
      const step4 = await store().answer(
        request.id,
        approval({ status: 'completed', feedback: 'done', response: null }),
      );
      expect(step4).toMatchObject({ feedback: 'done', response: null, status: 'completed' });
      expect(await store().byId(request.id)).toEqual(step4);
    });

    it('answers nothing for an unknown or malformed id', async () => {
      expect(await store().answer(UNKNOWN_ID, approval())).toBeUndefined();
      expect(await store().answer('not-a-uuid', approval())).toBeUndefined();
    });
  });

  describe('forceStatus', () => {
    it('sets any status from any status and keeps the answer', async () => {
      const request = await created();
      await store().answer(request.id, approval());
      const forced = await store().forceStatus(request.id, 'error', T0 + 3 * MINUTE);
      expect(forced).toMatchObject({
        status: 'error',
        updatedAt: T0 + 3 * MINUTE,
        respondedBy: 'alice',
        response: { decision: 'approve' },
      });
      expect((await store().forceStatus(request.id, 'pending', T0 + 4 * MINUTE))?.status).toBe('pending');
      expect(await store().forceStatus(UNKNOWN_ID, 'cancelled', T0)).toBeUndefined();
      expect(await store().forceStatus('nope', 'cancelled', T0)).toBeUndefined();
    });
  });

  describe('expireDue', () => {
    it('expires only open requests at or past their deadline, and returns them', async () => {
      const due = await created(newRequest({ expiresAt: T0 + MINUTE }));
      const dueInProgress = await created(newRequest({ expiresAt: T0 + 2 * MINUTE }));
      await store().forceStatus(dueInProgress.id, 'inprogress', T0);
      const exactlyNow = await created(newRequest({ expiresAt: T0 + 3 * MINUTE }));
      const later = await created(newRequest({ expiresAt: T0 + 3 * MINUTE + 1 }));
      const closed = await created(newRequest({ expiresAt: T0 + MINUTE }));
      await store().answer(closed.id, approval({ respondedAt: T0 + 30_000 }));

      const expired = await store().expireDue(T0 + 3 * MINUTE);
      expect(expired.map((r) => r.id)).toEqual([due.id, dueInProgress.id, exactlyNow.id]);
      for (const r of expired) expect(r).toMatchObject({ status: 'expired', updatedAt: T0 + 3 * MINUTE });
      expect((await store().byId(later.id))?.status).toBe('pending');
      expect((await store().byId(closed.id))?.status).toBe('approved');
      expect(await store().expireDue(T0 + 3 * MINUTE)).toEqual([]);
    });
  });

  describe('delivery and cards', () => {
    it('sets the delivery and the card task id, found by bot and card task id', async () => {
      const request = await created(newRequest({ delivery: 'queued' }));
      await store().setDelivery(request.id, 'delivered', 'card-42', T0 + MINUTE);
      const found = await store().byCardTaskId('bot-1', 'card-42');
      expect(found).toEqual({ ...request, delivery: 'delivered', cardTaskId: 'card-42', updatedAt: T0 + MINUTE });
      expect(await store().byCardTaskId('bot-2', 'card-42')).toBeUndefined();
      await store().setDelivery(request.id, 'queued', null, T0 + 2 * MINUTE);
      expect(await store().byCardTaskId('bot-1', 'card-42')).toBeUndefined();
      expect(await store().byId(request.id)).toMatchObject({ delivery: 'queued', cardTaskId: null });
      await expect(store().setDelivery('nope', 'queued', null, T0)).resolves.toBeUndefined();
    });
  });

  describe('open requests', () => {
    it('openInChat: the chat of one bot and chat type, open only, oldest first', async () => {
      const chat = { botKey: 'bot-1', chattype: 'single', chatid: 'alice' } as const;
      const newer = await created(newRequest({ target: chat }), T0 + 2);
      const older = await created(newRequest({ target: chat, delivery: 'queued' }), T0 + 1);
      const inProgress = await created(newRequest({ target: chat }), T0 + 3);
      await store().forceStatus(inProgress.id, 'inprogress', T0 + 4);
      const closed = await created(newRequest({ target: chat }), T0);
      await store().forceStatus(closed.id, 'cancelled', T0 + 5);
      await created(newRequest({ target: { ...chat, botKey: 'bot-2' } }));
      await created(newRequest({ target: { ...chat, chatid: 'bob' } }));
      await created(newRequest({ target: { ...chat, chattype: 'group' } }));

      expect((await store().openInChat(chat)).map((r) => r.id)).toEqual([older.id, newer.id, inProgress.id]);
      expect(await store().openInChat({ ...chat, chatid: 'nobody' })).toEqual([]);
    });

    it('openInConversation: one owner, platform and conversation, open only', async () => {
      const conv = { owner: 'key-a', platform: 'wecom', conversationId: 'conv-shared' };
      const a = await created(newRequest(conv), T0);
      const b = await created(newRequest(conv), T0 + 1);
      const closed = await created(newRequest(conv), T0 + 2);
      await store().answer(closed.id, approval());
      await created(newRequest({ ...conv, owner: 'key-b' }));
      await created(newRequest({ ...conv, platform: 'slack' }));
      await created(newRequest({ ...conv, conversationId: 'conv-else' }));
      const open = await store().openInConversation('key-a', 'wecom', 'conv-shared');
      expect(open.map((r) => r.id)).toEqual([a.id, b.id]);
    });

    it('anyOpen: false with none open, true with one', async () => {
      expect(await store().anyOpen()).toBe(false);
      const request = await created();
      expect(await store().anyOpen()).toBe(true);
      await store().forceStatus(request.id, 'inprogress', T0);
      expect(await store().anyOpen()).toBe(true);
      await store().answer(request.id, approval());
      expect(await store().anyOpen()).toBe(false);
    });
  });

  describe('replies', () => {
    it('records each msgid once per request, ordered by time then msgid', async () => {
      const request = await created();
      const other = await created();
      const reply = (msgid: string, at: number, text = `text of ${msgid}`) => ({
        requestId: request.id,
        msgid,
        userid: 'alice',
        text,
        at,
      });
      expect(await store().addReply(reply('m1', T0 + 2))).toBe(true);
      expect(await store().addReply(reply('m1', T0 + 9, 'a WeCom retry'))).toBe(false);
      expect(await store().addReply(reply('m3', T0 + 1))).toBe(true);
      expect(await store().addReply(reply('m2', T0 + 1))).toBe(true);
      expect(await store().addReply({ ...reply('m1', T0), requestId: other.id })).toBe(true);

      expect(await store().replies(request.id)).toEqual([
        reply('m2', T0 + 1),
        reply('m3', T0 + 1),
        reply('m1', T0 + 2),
      ]);
      expect((await store().replies(other.id)).map((r) => r.msgid)).toEqual(['m1']);
      expect(await store().replies(UNKNOWN_ID)).toEqual([]);
      expect(await store().replies('nope')).toEqual([]);
    });
  });

  describe('list', () => {
    async function seed(): Promise<HilRequest[]> {
      const rows = [
        { owner: 'key-a', loopType: 'approval', platform: 'wecom' },
        { owner: 'key-a', loopType: 'information', platform: 'wecom' },
        { owner: 'key-b', loopType: 'conversation', platform: 'slack' },
        { owner: 'key-a', loopType: 'approval', platform: 'slack' },
        { owner: 'key-b', loopType: 'approval', platform: 'wecom' },
      ] as const;
      const requests: HilRequest[] = [];
      for (const [i, fields] of rows.entries()) requests.push(await created(newRequest(fields), T0 + i * MINUTE));
      await store().answer(requests[3]!.id, approval({ status: 'rejected' }));
      return requests;
    }

    it('lists newest first with a count of all matching rows', async () => {
      const r = await seed();
      const all = await store().list({ skip: 0, limit: 10 });
      expect(all.count).toBe(5);
      expect(all.rows.map((x) => x.id)).toEqual([r[4]!.id, r[3]!.id, r[2]!.id, r[1]!.id, r[0]!.id]);
      expect(all.rows[1]).toEqual(await store().byId(r[3]!.id));
    });

    it('pages with skip and limit, the count unchanged', async () => {
      const r = await seed();
      const page = await store().list({ skip: 1, limit: 2 });
      expect(page).toEqual({ rows: [await store().byId(r[3]!.id), await store().byId(r[2]!.id)], count: 5 });
      expect(await store().list({ skip: 5, limit: 2 })).toEqual({ rows: [], count: 5 });
    });

    it('filters by owner, type, status, platform and creation time', async () => {
      const r = await seed();
      const ids = async (filter: Omit<Parameters<SqlHilRequests['list']>[0], 'skip' | 'limit'>) => {
        const result = await store().list({ ...filter, skip: 0, limit: 10 });
        expect(result.count).toBe(result.rows.length);
        return result.rows.map((x) => x.id);
      };
      expect(await ids({ owner: 'key-b' })).toEqual([r[4]!.id, r[2]!.id]);
      expect(await ids({ loopType: 'approval' })).toEqual([r[4]!.id, r[3]!.id, r[0]!.id]);
      expect(await ids({ status: 'rejected' })).toEqual([r[3]!.id]);
      expect(await ids({ platform: 'slack' })).toEqual([r[3]!.id, r[2]!.id]);
      expect(await ids({ createdFrom: T0 + MINUTE, createdBefore: T0 + 3 * MINUTE })).toEqual([r[2]!.id, r[1]!.id]);
      expect(await ids({ owner: 'key-a', loopType: 'approval', status: 'pending' })).toEqual([r[0]!.id]);
      expect(await ids({ owner: 'key-z' })).toEqual([]);
    });
  });

  describe('stats', () => {
    it('counts by status (all eight), type (all three) and platform', async () => {
      const empty = await store().stats();
      expect(empty).toEqual({
        byStatus: {
          pending: 0,
          approved: 0,
          rejected: 0,
          expired: 0,
          error: 0,
          completed: 0,
          inprogress: 0,
          cancelled: 0,
        },
        byType: { approval: 0, information: 0, conversation: 0 },
        byPlatform: {},
        total: 0,
      });
      const a = await created(newRequest({ owner: 'key-a', loopType: 'approval', platform: 'wecom' }));
      await created(newRequest({ owner: 'key-a', loopType: 'information', platform: 'wecom' }));
      await created(newRequest({ owner: 'key-b', loopType: 'approval', platform: 'slack' }));
      await store().answer(a.id, approval());

      const all = await store().stats();
      expect(all).toEqual({
        byStatus: { ...empty.byStatus, pending: 2, approved: 1 },
        byType: { approval: 2, information: 1, conversation: 0 },
        byPlatform: { wecom: 2, slack: 1 },
        total: 3,
      });
      expect(await store().stats('key-b')).toEqual({
        byStatus: { ...empty.byStatus, pending: 1 },
        byType: { approval: 1, information: 0, conversation: 0 },
        byPlatform: { slack: 1 },
        total: 1,
      });
    });
  });

  describe('comment waits', () => {
    it('returns the wait only before its end, replaces it per chat user, and clears it', async () => {
      const first = await created();
      const second = await created();
      const wait = { requestId: first.id, botKey: 'bot-1', chatid: 'alice', userid: 'alice', draft: null, until: T0 };
      await store().setCommentWait(wait);
      expect(await store().commentWait('bot-1', 'alice', 'alice', T0 - 1)).toEqual(wait);
      expect(await store().commentWait('bot-1', 'alice', 'alice', T0)).toBeUndefined();
      expect(await store().commentWait('bot-1', 'alice', 'bob', T0 - 1)).toBeUndefined();
      expect(await store().commentWait('bot-2', 'alice', 'alice', T0 - 1)).toBeUndefined();

      const replacement = { ...wait, requestId: second.id, draft: '金额有误', until: T0 + 10 * MINUTE };
      await store().setCommentWait(replacement);
      expect(await store().commentWait('bot-1', 'alice', 'alice', T0)).toEqual(replacement);

      await store().clearCommentWait('bot-1', 'alice', 'alice');
      expect(await store().commentWait('bot-1', 'alice', 'alice', T0)).toBeUndefined();
      await expect(store().clearCommentWait('bot-1', 'alice', 'alice')).resolves.toBeUndefined();
    });
  });

  describe('task syncs', () => {
    it('replaces the document of an owner and task', async () => {
      const read = async () =>
        (
          await getDb().query<{ owner: string; task_id: string; document: unknown; updated_ms: number }>(
            `SELECT owner, task_id, document, (extract(epoch from updated_at) * 1000)::float8 AS updated_ms
               FROM hil_task_syncs ORDER BY owner, task_id`,
          )
        ).rows;
      await store().saveTaskSync('key-a', 'task-1', { steps: [1, 2], status: 'running' }, T0);
      await store().saveTaskSync('key-b', 'task-1', { other: true }, T0);
      await store().saveTaskSync('key-a', 'task-1', { done: true }, T0 + MINUTE);
      expect(await read()).toEqual([
        { owner: 'key-a', task_id: 'task-1', document: { done: true }, updated_ms: T0 + MINUTE },
        { owner: 'key-b', task_id: 'task-1', document: { other: true }, updated_ms: T0 },
      ]);
    });
  });
});
