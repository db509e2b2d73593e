import type { ApplyOrRemove, Unordered } from '../ports/work-queues.ts';
import type { Engine } from '../context.ts';

/**
 * The scheduled half of keeping deployments honest: one refresh order per finished target of every application's
 * newest run, and a probe of every registered cluster. `reapply` turns the refresh into drift correction
 * (the current revision applied again).
 *
 * A read-only refresh goes through the unordered health lane: in the cluster's FIFO group it would sit ahead of that
 * cluster's deploys. Drift correction stays in the group, so a re-apply of the old revision never interleaves with a
 * newer run's apply (its fencing check and its apply are not one atomic step).
 */
export async function scheduleRefresh(engine: Engine, options: { reapply: boolean }): Promise<number> {
  const { store } = engine;
  const requestedAt = engine.now().toISOString();
  const orders: Extract<ApplyOrRemove, { kind: 'refresh' }>[] = [];
  for (const application of await store.applications.listAll()) {
    if (application.deleting) continue;
    const run = await store.runs.newestForApplication(application.namespace, application.name);
    // Health is read again for the finished targets of the newest run whatever its phase, so the clusters that are
    // done keep a fresh reading while the run waits on (or failed for) another; drift correction re-applies only a
    // run that succeeded.
    if (run === undefined || (options.reapply && run.phase !== 'succeeded')) continue;
    for (const target of await store.targets.listForRun(run.runId)) {
      if (target.phase !== 'succeeded') continue;
      const { runId, stepId, cluster, namespace } = target;
      orders.push({ kind: 'refresh', runId, stepId, cluster, namespace, reapply: options.reapply, requestedAt });
    }
  }
  // Every registered cluster is probed too, so `cluster list` shows whether each still answers.
  const probes = (await store.clusters.list()).map((cluster): Unordered => ({ kind: 'probe', cluster: cluster.name, requestedAt }));
  if (options.reapply) {
    await engine.queues.toApplier(orders);
    await engine.queues.unorderedBatch(probes);
  } else {
    await engine.queues.unorderedBatch([...orders.map((order) => ({ ...order, reapply: false as const })), ...probes]);
  }
  return orders.length;
}
