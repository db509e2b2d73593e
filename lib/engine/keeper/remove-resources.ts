import { ClusterError } from '../ports/cluster-error.ts';
import type { ApplierMessage } from '../messages/applier-message.ts';
import type { Engine } from '../context.ts';
import { purgeApplication } from './purge-application.ts';
import { backoffSeconds, RetryLater } from '../retry.ts';
import { UnknownClusterError } from '../../core/cluster/cluster-errors.ts';

type RemoveOrder = Extract<ApplierMessage, { kind: 'remove' }>;

export type RemoveOutcome = { result: 'removed'; deleted: number } | { result: 'orphaned'; reason: string } | { result: 'dropped'; reason: string };

/**
 * Deletes objects that no current revision holds, then drops the inventory that listed them. An unreachable cluster is
 * retried with backoff (the order waits in its cluster's queue group); with `force` its objects are recorded as orphans
 * and the inventory goes, so deleting an application never hangs on a dead cluster.
 */
export async function removeResources(engine: Engine, order: RemoveOrder, receiveCount = 1): Promise<RemoveOutcome> {
  const { store } = engine;
  const inventory = await store.inventories.get(order.namespace, order.application, order.cluster, order.revision);
  if (!inventory) return { result: 'dropped', reason: 'inventory already removed' };
  let deleted = 0;
  try {
    const client = await engine.clusterClient(order.cluster);
    for (const resource of order.resources) {
      const ref = { apiVersion: resource.apiVersion, kind: resource.kind, metadata: { name: resource.name, namespace: resource.namespace } };
      if ((await client.delete(ref)) === 'deleted') deleted++;
    }
  } catch (err) {
    const reachable = !(err instanceof ClusterError && err.retryable) && !(err instanceof UnknownClusterError);
    if (reachable) throw err;
    if (!order.force && !(err instanceof UnknownClusterError)) {
      const problem = `cannot remove ${order.resources.length} objects of revision ${order.revision} from cluster ${order.cluster}: ${(err as Error).message}`;
      // Reported where people look (status), then retried with backoff.
      await store.inventories.record({ ...inventory, removalProblem: problem }, inventory.version).catch(() => {});
      throw new RetryLater(problem, backoffSeconds(receiveCount, 60), { cause: err });
    }
    const { version: _version, ...orphaned } = inventory;
    await store.inventories.recordOrphans({ cluster: order.cluster, detachedAt: engine.now().toISOString(), inventories: [orphaned], version: 1 });
    await store.inventories.remove(inventory);
    await purgeWhenGone(engine, order);
    return { result: 'orphaned', reason: (err as Error).message };
  }
  await store.inventories.remove(inventory);
  await purgeWhenGone(engine, order);
  return { result: 'removed', deleted };
}

/** A deleted application's records go with its last inventory. */
async function purgeWhenGone(engine: Engine, order: RemoveOrder): Promise<void> {
  const application = await engine.store.applications.get(order.namespace, order.application);
  if (!application?.deleting) return;
  const left = await engine.store.inventories.listForApplication(order.namespace, order.application);
  if (left.length === 0) await purgeApplication(engine.store, order.namespace, order.application);
}
