import type { ApplyOrRemove } from '../ports/work-queues.ts';
import type { Engine } from '../context.ts';

/**
 * The scheduled half of keeping deployments honest: one refresh order per finished target of every application's
 * newest successful run, and a probe of every registered cluster. `reapply` turns the refresh into drift correction
 * (the current revision applied again).
 */
export async function scheduleRefresh(engine: Engine, options: { reapply: boolean }): Promise<number> {
  const { store } = engine;
  const requestedAt = engine.now().toISOString();
  const orders: ApplyOrRemove[] = [];
  for (const application of await store.applications.listAll()) {
    if (application.deleting) continue;
    const [run] = await store.runs.listForApplication(application.namespace, application.name);
    if (run?.phase !== 'succeeded') continue;
    for (const target of await store.targets.listForRun(run.runId)) {
      if (target.phase !== 'succeeded') continue;
      const { runId, stepId, cluster, namespace } = target;
      orders.push({ kind: 'refresh', runId, stepId, cluster, namespace, reapply: options.reapply, requestedAt });
    }
  }
  await engine.queues.toApplier(orders);
  // Every registered cluster is probed too, so `cluster list` shows whether each still answers.
  for (const cluster of await store.clusters.list()) await engine.queues.unordered({ kind: 'probe', cluster: cluster.name, requestedAt }, 0);
  return orders.length;
}
