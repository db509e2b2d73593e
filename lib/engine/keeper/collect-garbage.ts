import { referenceKey } from './inventory.ts';
import type { ApplyOrRemove } from '../ports/work-queues.ts';
import type { Engine } from '../context.ts';
import { supersedeActiveRuns } from '../planner/start-run.ts';
import { purgeApplication } from './purge-application.ts';
import type { InventoryRecord } from '../../adapters/dynamodb/inventory-store.ts';

/**
 * After a run succeeds: every object that only other revisions' inventories hold is deleted from its cluster (a cluster
 * dropped from the topology, a component removed). What the successful run's revision holds is kept, so A -> B -> A never
 * deletes live objects, and a failed or suspended run deletes nothing. Runs only for the application's newest run; a
 * newer run collects for itself when it succeeds.
 */
export async function collectGarbage(engine: Engine, request: { namespace: string; name: string; runId: string }): Promise<number> {
  const { store } = engine;
  const runs = await store.runs.listForApplication(request.namespace, request.name);
  const newest = runs[0];
  if (!newest || newest.runId !== request.runId || newest.phase !== 'succeeded') return 0;
  const inventories = await store.inventories.listForApplication(request.namespace, request.name);
  const kept = new Map<string, Set<string>>();
  for (const inventory of inventories.filter((i) => i.revision === newest.revision)) {
    kept.set(inventory.cluster, new Set(inventory.resources.map(referenceKey)));
  }
  const stale = inventories.filter((i) => i.revision !== newest.revision);
  return removeInventories(engine, stale, (inventory) => {
    const keep = kept.get(inventory.cluster) ?? new Set<string>();
    return inventory.resources.filter((r) => !keep.has(referenceKey(r)));
  }, false);
}

/**
 * Deleting an application: its runs stop, and every object any revision applied is removed from every cluster. The
 * records go once the last inventory is gone (the applier purges then). With `force`, objects in clusters that cannot be
 * reached are recorded as orphans instead of holding the deletion up forever (KubeVela #3328).
 */
export async function deleteApplication(engine: Engine, request: { namespace: string; name: string; force: boolean }): Promise<'purged' | 'removing' | 'absent'> {
  const { store } = engine;
  const application = await store.applications.get(request.namespace, request.name);
  if (!application) return 'absent';
  await supersedeActiveRuns(engine, request.namespace, request.name, 'application deleted');
  const inventories = await store.inventories.listForApplication(request.namespace, request.name);
  if (inventories.length === 0) {
    await purgeApplication(store, request.namespace, request.name);
    return 'purged';
  }
  await removeInventories(engine, inventories, (inventory) => inventory.resources, request.force);
  // Look again shortly: an apply that was already under way when the runs stopped may record objects after this
  // listing, and the application only goes once no inventory is left.
  await engine.queues.toPlanner([{ kind: 'delete', ...request }], deletionRecheckSeconds);
  return 'removing';
}

const deletionRecheckSeconds = 10;

async function removeInventories(
  engine: Engine,
  inventories: InventoryRecord[],
  toDelete: (inventory: InventoryRecord) => InventoryRecord['resources'],
  force: boolean,
): Promise<number> {
  const orders: ApplyOrRemove[] = [];
  for (const inventory of inventories) {
    const resources = toDelete(inventory);
    if (resources.length === 0) {
      // Everything it lists lives on in the kept revision: the record alone goes, no cluster is touched.
      await engine.store.inventories.remove(inventory);
      continue;
    }
    orders.push({
      kind: 'remove',
      namespace: inventory.namespace,
      application: inventory.application,
      cluster: inventory.cluster,
      revision: inventory.revision,
      // Reverse apply order: traits' objects before the workload, cluster-scoped objects (namespaces) last.
      resources: resources.toReversed(),
      force,
      requestedAt: engine.now().toISOString(),
    });
  }
  await engine.queues.toApplier(orders);
  return orders.reduce((n, order) => n + (order.kind === 'remove' ? order.resources.length : 0), 0);
}
