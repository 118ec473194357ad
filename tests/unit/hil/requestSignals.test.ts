import { RequestSignals, WAIT_POLL_MS, waitForRequest } from '../../../app/hil/services/requestSignals';
import type { HilRequest, HilStatus } from '../../../app/hil/store/hilRequests';

const ID = '3f2a9c1b-0000-4000-8000-000000000001';

function request(status: HilStatus): HilRequest {
  return { id: ID, status } as HilRequest;
}

/** A store of one request whose reads are counted; `set` changes it without telling anyone (another instance). */
function stubStore(initial: HilRequest | undefined) {
  let current = initial;
  const store = {
    reads: 0,
    byId: (id: string) => {
      store.reads += 1;
      return Promise.resolve(id === ID ? current : undefined);
    },
    set: (next: HilRequest) => {
      current = next;
    },
  };
  return store;
}

const answered = (r: HilRequest): boolean => r.status !== 'pending';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('waitForRequest', () => {
  it('answers at once when the request is done already, or does not exist', async () => {
    const requests = stubStore(request('completed'));
    const deps = { requests, signals: new RequestSignals(), now: Date.now };
    expect(await waitForRequest(deps, ID, answered, { until: Date.now() + 5000 })).toMatchObject({
      status: 'completed',
    });
    expect(await waitForRequest(deps, 'other', answered, { until: Date.now() + 5000 })).toBeUndefined();
    expect(requests.reads).toBe(2);
  });

  it('a change signalled in this process wakes the waiter at once, well before the store is read again', async () => {
    const requests = stubStore(request('pending'));
    const signals = new RequestSignals();
    const started = Date.now();
    const waiting = waitForRequest({ requests, signals, now: Date.now }, ID, answered, { until: started + 5000 });
    await sleep(30);
    requests.set(request('completed'));
    signals.changed(request('completed'));
    expect(await waiting).toMatchObject({ status: 'completed' });
    expect(Date.now() - started).toBeLessThan(WAIT_POLL_MS / 2);
  });

  it('a change made elsewhere (no signal) is read within WAIT_POLL_MS', async () => {
    const requests = stubStore(request('pending'));
    const started = Date.now();
    const waiting = waitForRequest({ requests, signals: new RequestSignals(), now: Date.now }, ID, answered, {
      until: started + 5000,
    });
    await sleep(30);
    requests.set(request('approved'));
    expect(await waiting).toMatchObject({ status: 'approved' });
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(WAIT_POLL_MS - 50);
    expect(took).toBeLessThan(WAIT_POLL_MS + 500);
  });

  it('ends at the deadline, or when aborted, with the request as it last read it', async () => {
    const requests = stubStore(request('pending'));
    const deps = { requests, signals: new RequestSignals(), now: Date.now };
    let started = Date.now();
    expect(await waitForRequest(deps, ID, answered, { until: started + 80 })).toMatchObject({ status: 'pending' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
    const abort = new AbortController();
    started = Date.now();
    const waiting = waitForRequest(deps, ID, answered, { until: started + 5000, signal: abort.signal });
    setTimeout(() => abort.abort(), 40);
    expect(await waiting).toMatchObject({ status: 'pending' });
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('ticks every tickMs while it waits (MCP progress)', async () => {
    const requests = stubStore(request('pending'));
    let ticks = 0;
    await waitForRequest({ requests, signals: new RequestSignals(), now: Date.now }, ID, answered, {
      until: Date.now() + 250,
      tickMs: 50,
      onTick: () => {
        ticks += 1;
      },
    });
    expect(ticks).toBeGreaterThanOrEqual(3);
    expect(ticks).toBeLessThanOrEqual(5);
  });
});

describe('RequestSignals', () => {
  it('tells every listener of every change until it unsubscribes', () => {
    const signals = new RequestSignals();
    const seen: string[] = [];
    const off = signals.onChange((r) => seen.push(r.status));
    signals.changed(request('completed'));
    off();
    signals.changed(request('expired'));
    expect(seen).toEqual(['completed']);
  });
});
