import { ClusterError } from '../ports/cluster-error.ts';
import type { ApplierMessage } from '../messages/applier-message.ts';
import type { Engine } from '../context.ts';
import { purgeApplication } from './purge-application.ts';
import { backoffSeconds, RetryLater } from '../retry.ts';
import { UnknownClusterError } from '../../core/cluster/cluster-errors.ts';
import { deleteRefusal, type ApplicationRef } from '../../core/render/ownership.ts';
import type { ClusterClient, ObjectRef } from '../ports/cluster-client.ts';

type RemoveOrder = Extract<ApplierMessage, { kind: 'remove' }>;

export type RemoveOutcome =
  /** `kept`: the objects left alone because another application (or none) owns them, each with why. */
  | { result: 'removed'; deleted: number; kept: string[] }
  | { result: 'orphaned'; reason: string }
  | { result: 'dropped'; reason: string };

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
  const kept: string[] = [];
  try {
    const client = await engine.clusterClient(order.cluster);
    for (const resource of order.resources) {
      const ref = { apiVersion: resource.apiVersion, kind: resource.kind, metadata: { name: resource.name, namespace: resource.namespace } };
      const outcome = await deleteOwned(client, ref, { namespace: order.namespace, name: order.application });
      if (outcome === 'deleted') deleted++;
      else if (outcome !== 'absent') kept.push(outcome.kept);
    }
  } catch (err) {
    const reachable = !(err instanceof ClusterError && err.retryable) && !(err instanceof UnknownClusterError);
    if (reachable) throw err;
    if (!order.force && !(err instanceof UnknownClusterError)) {
      const problem = `cannot remove ${order.resources.length} objects of revision ${order.revision} from cluster ${order.cluster}: ${(err as Error).message}`;
      // Reported where people look (status), then retried with backoff.
      await store.inventories.record({ ...inventory, removalProblem: problem }, inventory.version).catch(() => {});
      engine.telemetry.count('OrderRetries', { work: 'remove' });
      throw new RetryLater(problem, backoffSeconds(receiveCount, 60), { cause: err });
    }
    const { version: _version, ...orphaned } = inventory;
    await store.inventories.recordOrphans({ cluster: order.cluster, detachedAt: engine.now().toISOString(), inventories: [orphaned], version: 1 });
    await store.inventories.remove(inventory);
    await purgeWhenGone(engine, order);
    return { result: 'orphaned', reason: (err as Error).message };
  }
  await store.inventories.remove(inventory);
  const deleting = await purgeWhenGone(engine, order);
  if (deleted > 0) {
    const reason = deleting ? 'deletion' : 'garbage';
    engine.telemetry.count('ObjectsRemoved', { reason }, deleted);
    engine.telemetry.log('info', `removed ${deleted} objects (${reason})`, {
      namespace: order.namespace,
      application: order.application,
      revision: `${order.application}-v${order.revision}`,
      cluster: order.cluster,
    });
  }
  return { result: 'removed', deleted, kept };
}

/**
 * An inventory lists what an apply was about to write, recorded before the apply, so it can name an object the apply
 * then refused (another application's, or one nobody manages): the live object is read and deleted only when its
 * labels say it is this application's, with the resourceVersion read as precondition, so an object taken over in
 * between is not deleted either (409: read again).
 */
async function deleteOwned(client: ClusterClient, ref: ObjectRef, app: ApplicationRef): Promise<'deleted' | 'absent' | { kept: string }> {
  for (let attempt = 1; ; attempt++) {
    const live = await client.read(ref);
    if (!live) return 'absent';
    const refusal = deleteRefusal(live, app);
    if (refusal !== undefined) return { kept: `kept ${refusal}` };
    const resourceVersion = live.metadata.resourceVersion;
    try {
      return await client.delete(ref, typeof resourceVersion === 'string' ? { resourceVersion } : undefined);
    } catch (err) {
      if (err instanceof ClusterError && err.status === 409 && attempt < maxDeleteAttempts) continue;
      throw err;
    }
  }
}

const maxDeleteAttempts = 5;

/** A deleted application's records go with its last inventory. True when the application is being deleted (or gone). */
async function purgeWhenGone(engine: Engine, order: RemoveOrder): Promise<boolean> {
  const application = await engine.store.applications.get(order.namespace, order.application);
  if (!application) return true;
  if (!application.deleting) return false;
  const left = await engine.store.inventories.listForApplication(order.namespace, order.application);
  if (left.length === 0) await purgeApplication(engine.store, order.namespace, order.application);
  return true;
}
