import { KeyedLock } from '../../../../app/services/turn/keyedLock';

interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}
function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
/** Lets every already-settled promise callback run. */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('KeyedLock', () => {
  it('runs tasks of the same key strictly one after another, in arrival order', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const gates = [deferred(), deferred(), deferred()];
    const runs = gates.map((gate, i) =>
      lock.run('chat-1', async () => {
        log.push(`start ${i}`);
        await gate.promise;
        log.push(`end ${i}`);
        return i;
      }),
    );
    await flush();
    expect(log).toEqual(['start 0']);
    gates[2]?.resolve(); // finishing a later gate early must not let its task jump the queue
    gates[1]?.resolve();
    await flush();
    expect(log).toEqual(['start 0']);
    gates[0]?.resolve();
    await expect(Promise.all(runs)).resolves.toEqual([0, 1, 2]);
    expect(log).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('runs tasks of different keys concurrently', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const gateA = deferred();
    const gateB = deferred();
    const a = lock.run('chat-a', async () => {
      log.push('start a');
      await gateA.promise;
      log.push('end a');
    });
    const b = lock.run('chat-b', async () => {
      log.push('start b');
      await gateB.promise;
      log.push('end b');
    });
    await flush();
    expect(log).toEqual(['start a', 'start b']);
    expect(lock.size).toBe(2);
    gateB.resolve();
    await b;
    expect(log).toEqual(['start a', 'start b', 'end b']);
    gateA.resolve();
    await a;
  });

  it('releases the lock for the next task when a task rejects', async () => {
    const lock = new KeyedLock();
    const gate = deferred();
    const failing = lock.run('chat-1', async () => {
      await gate.promise;
    });
    const next = lock.run('chat-1', async () => 'next ran');
    gate.reject(new Error('dify failed'));
    await expect(failing).rejects.toThrow('dify failed');
    await expect(next).resolves.toBe('next ran');
  });

  it('releases the lock when a task throws synchronously', async () => {
    const lock = new KeyedLock();
    const failing = lock.run('chat-1', () => {
      throw new Error('boom');
    });
    await expect(failing).rejects.toThrow('boom');
    await expect(lock.run('chat-1', async () => 1)).resolves.toBe(1);
    expect(lock.size).toBe(0);
  });

  it('holds a key only while a task for it is queued or running', async () => {
    const lock = new KeyedLock();
    const gate = deferred();
    const first = lock.run('chat-1', () => gate.promise);
    const second = lock.run('chat-1', async () => undefined);
    const failing = lock.run('chat-2', async () => Promise.reject(new Error('x')));
    expect(lock.size).toBe(2);
    await expect(failing).rejects.toThrow('x');
    expect(lock.size).toBe(1);
    gate.resolve();
    await Promise.all([first, second]);
    expect(lock.size).toBe(0);
  });
});
