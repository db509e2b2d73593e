import type { InventoryRecord } from '../../core/run/inventory.ts';
import type { Engine } from '../context.ts';
import { ConflictError } from '../ports/conflict-error.ts';
import { orphanInventories } from './orphan-inventories.ts';
import { purgeApplication } from './purge-application.ts';
import { removeInventories } from './remove-inventories.ts';

/** While objects remain, the deletion looks again this often. */
const deletionRecheckSeconds = 10;

/**
 * How long a forced removal may stay undone before the planner records its objects as orphans itself: the order may
 * be held in the cluster's queue group (behind orders that are retrying there) or sent to a cluster that never
 * answers, and `--force` must finish in a bounded time whatever the queue holds.
 */
export const forcedRemovalGraceSeconds = 30;

/**
 * Deleting an application, once the planner has stopped its runs: every object any revision applied is removed from
 * every cluster. The records go once the last inventory is gone (the applier purges then). A removal that met its
 * cluster down is sent again when its next attempt is due. With `force`, objects in clusters that cannot be reached are
 * recorded as orphans instead of holding the deletion up forever (KubeVela #3328): by the forced order when the cluster
 * answers with an error, by the planner when the order is not carried out within the grace period.
 */
export async function deleteApplication(engine: Engine, request: { namespace: string; name: string; force: boolean }): Promise<'purged' | 'removing'> {
  const { store } = engine;
  const now = engine.now().getTime();
  const inventories = await store.inventories.listForApplication(request.namespace, request.name);
  if (inventories.length === 0) {
    await purgeApplication(store, request.namespace, request.name);
    return 'purged';
  }
  const overdue = request.force ? inventories.filter((i) => i.forcedRemovalAt !== undefined && now - Date.parse(i.forcedRemovalAt) >= forcedRemovalGraceSeconds * 1000) : [];
  for (const [cluster, group] of byCluster(overdue)) {
    const problem = group.find((i) => i.removalProblem)?.removalProblem;
    await orphanInventories(engine, cluster, group, `cluster ${cluster} did not carry out the forced removal within ${forcedRemovalGraceSeconds} s${problem ? `; last problem: ${problem}` : ''}`);
  }
  const due = inventories.filter((i) => !overdue.includes(i) && (request.force || i.removalRetryAt === undefined || Date.parse(i.removalRetryAt) <= now));
  if (overdue.length > 0 && overdue.length === inventories.length) {
    if ((await store.inventories.listForApplication(request.namespace, request.name)).length === 0) {
      await purgeApplication(store, request.namespace, request.name);
      return 'purged';
    }
  }
  if (request.force) await Promise.all(due.map((inventory) => noteForced(engine, inventory)));
  await removeInventories(engine, due, (inventory) => inventory.resources, request.force);
  // Look again shortly: an apply that was already under way when the runs stopped may record objects after this
  // listing, a deferred removal falls due, and the application only goes once no inventory is left.
  await engine.queues.toPlanner([{ kind: 'delete', ...request }], deletionRecheckSeconds);
  return 'removing';
}

function byCluster(inventories: readonly InventoryRecord[]): Map<string, InventoryRecord[]> {
  const groups = new Map<string, InventoryRecord[]>();
  for (const inventory of inventories) groups.set(inventory.cluster, [...(groups.get(inventory.cluster) ?? []), inventory]);
  return groups;
}

/** The grace period starts with the first forced order; later passes keep that start. */
async function noteForced(engine: Engine, inventory: InventoryRecord): Promise<void> {
  if (inventory.forcedRemovalAt !== undefined) return;
  await engine.store.inventories.record({ ...inventory, forcedRemovalAt: engine.now().toISOString() }, inventory.version).catch((err: unknown) => {
    // Changed meanwhile (removed, or noted by another pass): the next pass notes it if it is still there.
    if (!(err instanceof ConflictError)) throw err;
  });
}
