import { treeCpuMs } from './processTree';

/**
 * Where the CPU of a scenario went, per request: the target process, its child processes (the
 * embedded PostgreSQL server and its backends), the fake Dify, and this process (the load
 * generator). On 2 cores they all compete, so this is what a throughput ratio is made of.
 */
export interface CpuSplit {
  readonly target: number;
  readonly database: number;
  readonly dify: number;
  readonly load: number;
}

export async function measureCpu<T extends { requests: number }>(
  pids: { readonly target: number; readonly dify: number },
  work: () => Promise<T>,
): Promise<{ result: T; cpuPerRequestMs: CpuSplit }> {
  const before = { target: treeCpuMs(pids.target), dify: treeCpuMs(pids.dify).own, load: process.cpuUsage() };
  const result = await work();
  // Turns go on after their first reply: let the last ones finish.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const target = treeCpuMs(pids.target);
  const load = process.cpuUsage(before.load);
  const n = Math.max(1, result.requests);
  return {
    result,
    cpuPerRequestMs: {
      target: (target.own - before.target.own) / n,
      database: (target.children - before.target.children) / n,
      dify: (treeCpuMs(pids.dify).own - before.dify) / n,
      load: (load.user + load.system) / 1000 / n,
    },
  };
}
