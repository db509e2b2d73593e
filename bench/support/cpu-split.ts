// Which function the control plane's time went to, in a process that runs them all (the local runtime): every
// handler invocation carries its function's name in an AsyncLocalStorage (set by a middy middleware), and each
// callback's main-thread CPU time (process.threadCpuUsage) is added to the invocation it belongs to; callbacks outside
// any invocation (event source polling, the API, the benchmark's own polls) are "other". GC and libuv's helper
// threads are not on the main thread, so the parts add up to less than the process's CPU. The hooks cost time
// themselves, so this runs only when asked for.
import { AsyncLocalStorage, createHook } from 'node:async_hooks';

interface MiddyLike {
  use(middleware: { before: () => void }): unknown;
}

export interface CpuSplit {
  /** ms of main-thread CPU per function name, and "other" for the rest, since start. */
  totals(): Record<string, number>;
  stop(): void;
}

export function splitMainThreadCpu(handlers: Record<string, MiddyLike>): CpuSplit {
  const invocation = new AsyncLocalStorage<string>();
  for (const [name, handler] of Object.entries(handlers)) handler.use({ before: () => invocation.enterWith(name) });
  const totals = new Map<string, number>();
  // Callbacks can nest; time since the last event belongs to the innermost one running.
  const stack: string[] = [];
  const threadCpuMs = () => {
    const { user, system } = process.threadCpuUsage();
    return (user + system) / 1000;
  };
  let last = threadCpuMs();
  const account = () => {
    const now = threadCpuMs();
    const name = stack.at(-1);
    // Outside every callback: the event loop itself.
    if (name !== undefined) totals.set(name, (totals.get(name) ?? 0) + now - last);
    last = now;
  };
  const hook = createHook({
    before: () => {
      account();
      stack.push(invocation.getStore() ?? 'other');
    },
    after: () => {
      account();
      stack.pop();
    },
  });
  hook.enable();
  return {
    totals: () => Object.fromEntries(totals),
    stop: () => hook.disable(),
  };
}
