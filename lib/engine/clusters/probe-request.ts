import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkQueues } from '../ports/work-queues.ts';
import type { ClusterStore } from '../ports/store.ts';
import { UnknownClusterError } from '../../core/cluster/cluster-errors.ts';
import { summarize, type ClusterSummary } from './cluster-registry.ts';

export interface ProbeOutcome {
  cluster: ClusterSummary;
  /** False when the applier had not answered within the wait; the probe still runs and lands in the record. */
  done: boolean;
}

/**
 * `vela cluster probe` without opening credentials here: only the applier may decrypt them, so the probe is sent to it
 * through the delay queue (no cluster's backlog stands in front of it) and the record is watched until it shows a probe
 * newer than the request.
 */
export async function requestProbe(
  deps: { clusters: ClusterStore; queues: WorkQueues; now(): Date },
  name: string,
  waitMs = 15_000,
): Promise<ProbeOutcome> {
  if (!(await deps.clusters.get(name))) throw new UnknownClusterError(name);
  const requestedAt = deps.now().toISOString();
  await deps.queues.unordered({ kind: 'probe', cluster: name, requestedAt }, 0);
  const deadline = Date.now() + waitMs;
  for (;;) {
    const record = await deps.clusters.get(name);
    if (!record) throw new UnknownClusterError(name);
    const done = record.probedAt >= requestedAt;
    if (done || Date.now() >= deadline) return { cluster: summarize(record), done };
    await sleep(200);
  }
}
