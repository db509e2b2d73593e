import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The time budget of the SQS record being worked on, as an AbortSignal carried through async calls: the worker sets
 * it, the member-cluster client aborts its requests with it. Carried implicitly so the engine, which only sees a
 * ClusterClient, needs no signal parameter on every call.
 */
const budget = new AsyncLocalStorage<AbortSignal>();

export function withRecordBudget<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  return budget.run(signal, work);
}

/** The current record's budget, if work runs inside one. */
export function recordBudgetSignal(): AbortSignal | undefined {
  return budget.getStore();
}
