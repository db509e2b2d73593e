import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { QueryPart, QueryRequest } from '../../core/query/cluster-query.ts';
import { queryLimits } from '../../core/query/query-limits.ts';
import type { Store } from '../ports/store.ts';
import type { WorkQueues } from '../ports/work-queues.ts';

export interface QueryTarget {
  cluster: string;
  /** Where in the cluster the part reads. */
  targetNamespace: string;
  request: QueryRequest;
}

export interface QueryOutcome {
  queryId: string;
  parts: QueryPart[];
  /** False when some part had not been answered within the wait; the poll URL has it later. */
  done: boolean;
}

interface QueryDeps {
  store: Pick<Store, 'queries'>;
  queues: WorkQueues;
  now(): Date;
}

/**
 * Asks the applier to read from member clusters without opening credentials here: only the applier may decrypt them.
 * One stored part and one message (through the delay queue, so no cluster's backlog of deploys stands in front of it)
 * per (cluster, namespace); the parts are watched until every one is answered or `waitMs` has passed.
 */
export async function requestQuery(
  deps: QueryDeps,
  owner: { namespace: string; application: string },
  targets: readonly QueryTarget[],
  waitMs: number = queryLimits.waitMs,
): Promise<QueryOutcome> {
  const queryId = randomUUID();
  const now = deps.now();
  const parts: QueryPart[] = targets.map((target, index) => ({
    queryId,
    index,
    ...owner,
    cluster: target.cluster,
    targetNamespace: target.targetNamespace,
    state: 'pending',
    request: target.request,
    requestedAt: now.toISOString(),
  }));
  if (parts.length === 0) return { queryId, parts, done: true };
  await deps.store.queries.create(parts, new Date(now.getTime() + queryLimits.keepSeconds * 1000));
  for (const part of parts) await deps.queues.unordered({ kind: 'query', queryId, index: part.index, cluster: part.cluster }, 0);
  return waitForQuery(deps, queryId, waitMs);
}

/** Reads the query until every part is answered or the wait is over; undefined parts mean it expired or never was. */
export async function waitForQuery(deps: Pick<QueryDeps, 'store' | 'now'>, queryId: string, waitMs: number): Promise<QueryOutcome> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const parts = await deps.store.queries.list(queryId, deps.now());
    const done = parts.every((part) => part.state !== 'pending');
    if (done || Date.now() >= deadline) return { queryId, parts, done };
    await sleep(200);
  }
}
