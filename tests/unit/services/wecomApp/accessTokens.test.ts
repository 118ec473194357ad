import { AccessTokens } from '../../../../app/services/wecomApp/accessTokens';

/** A gettoken stand-in that counts its calls and answers when the test says so. */
function fetcher(expiresInS = 7200) {
  let calls = 0;
  const pending: Array<(v: { token: string; expiresInS: number }) => void> = [];
  return {
    get calls() {
      return calls;
    },
    fetch: () =>
      new Promise<{ token: string; expiresInS: number }>((resolve) => {
        calls += 1;
        pending.push(resolve);
      }),
    answer() {
      const next = pending.shift();
      next?.({ token: `t${calls}`, expiresInS });
    },
  };
}

describe('AccessTokens (hil.md §3.4 item 1)', () => {
  it('fetches once for concurrent callers and keeps the token until shortly before expires_in', async () => {
    let now = 0;
    const f = fetcher();
    const tokens = new AccessTokens(f.fetch, () => now);
    const all = Promise.all([tokens.get(), tokens.get(), tokens.get()]);
    f.answer();
    expect(await all).toEqual(['t1', 't1', 't1']);
    now = (7200 - 301) * 1000;
    expect(await tokens.get()).toBe('t1');
    now = (7200 - 299) * 1000;
    const renewed = tokens.get();
    f.answer();
    expect(await renewed).toBe('t2');
    expect(f.calls).toBe(2);
  });

  it('a refused token is dropped only while it is the current one', async () => {
    const f = fetcher();
    const tokens = new AccessTokens(f.fetch, () => 0);
    const first = tokens.get();
    f.answer();
    expect(await first).toBe('t1');
    tokens.refused('t1');
    const second = tokens.get();
    f.answer();
    expect(await second).toBe('t2');
    tokens.refused('t1');
    expect(await tokens.get()).toBe('t2');
    expect(f.calls).toBe(2);
  });

  it('a short lifetime keeps a tenth as margin; a failed fetch lets the next caller try again', async () => {
    let now = 0;
    let fail = true;
    const tokens = new AccessTokens(
      async () => {
        if (fail) throw new Error('unreachable');
        return { token: 'short', expiresInS: 10 };
      },
      () => now,
    );
    await expect(tokens.get()).rejects.toThrow('unreachable');
    fail = false;
    expect(await tokens.get()).toBe('short');
    now = 8_999;
    expect(await tokens.get()).toBe('short');
  });
});
