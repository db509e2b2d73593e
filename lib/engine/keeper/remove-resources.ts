import { ClusterError } from '../ports/cluster-error.ts';
import type { ApplierMessage } from '../messages/applier-message.ts';
import type { Engine } from '../context.ts';
import { purgeApplication } from './purge-application.ts';
import { backoffSeconds, retryOnConflict, RetryLater } from '../retry.ts';
import type { InventoryRecord } from '../../core/run/inventory.ts';
import { orphanInventories } from './orphan-inventories.ts';
import { UnknownClusterError } from '../../core/cluster/cluster-errors.ts';
import { deleteRefusal, type ApplicationRef } from '../../core/render/ownership.ts';
import type { ClusterClient, ObjectRef } from '../ports/cluster-client.ts';

type RemoveOrder = Extract<ApplierMessage, { kind: 'remove' }>;

export type RemoveOutcome =
  /** `kept`: the objects left alone because another application (or none) owns them, each with why. */
  | { result: 'removed'; deleted: number; kept: string[] }
  | { result: 'orphaned'; reason: string }
  /** The cluster did not answer: the order left its queue group and the next attempt is due at `retryAt`. */
  | { result: 'deferred'; reason: string; retryAt: string }
  | { result: 'dropped'; reason: string };

/** Receives of one removal order at the head of its cluster's queue group before it steps aside (1 s, then 2 s). */
const removalTriesAtHead = 3;

/**
 * Deletes objects that no current revision holds, then drops the inventory that listed them. An unreachable cluster
 * is retried briefly in place; then the order leaves its cluster's queue group (so that cluster's later orders are not
 * held behind it) and the inventory says why and when the next attempt is due, which the deletion's re-check or the
 * sweep sends. With `force` the objects of an unreachable cluster are recorded as orphans and the inventory goes, so
 * deleting an application never hangs on a dead cluster.
 */
export async function removeResources(engine: Engine, order: RemoveOrder, receiveCount = 1): Promise<RemoveOutcome> {
  const { store } = engine;
  const inventory = await store.inventories.get(order.namespace, order.application, order.cluster, order.revision);
  if (!inventory) return { result: 'dropped', reason: 'inventory already removed' };
  // An earlier order met the cluster down and stepped aside: copies sent meanwhile wait for the attempt it set.
  if (!order.force && inventory.removalRetryAt !== undefined && Date.parse(inventory.removalRetryAt) > engine.now().getTime()) {
    return { result: 'dropped', reason: `next removal attempt is due at ${inventory.removalRetryAt}` };
  }
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
    const problem = `cannot remove ${order.resources.length} objects of revision ${order.revision} from cluster ${order.cluster}: ${(err as Error).message}`;
    if (!order.force && !(err instanceof UnknownClusterError)) {
      if (receiveCount < removalTriesAtHead) {
        // Reported where people look (status), then retried shortly in place.
        await noteRemoval(engine, order, (current) => ({ ...current, removalProblem: problem }));
        engine.telemetry.count('OrderRetries', { work: 'remove' });
        throw new RetryLater(problem, backoffSeconds(receiveCount, 60), { cause: err });
      }
      const attempts = (inventory.removalAttempts ?? 0) + 1;
      const retryAt = new Date(engine.now().getTime() + deferralSeconds(attempts) * 1000).toISOString();
      await noteRemoval(engine, order, (current) => ({ ...current, removalProblem: `${problem} (next attempt at ${retryAt})`, removalRetryAt: retryAt, removalAttempts: attempts }));
      return { result: 'deferred', reason: problem, retryAt };
    }
    await orphanInventories(engine, order.cluster, [await freshInventory(engine, order, inventory)], problem);
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

/** 15 s, 30 s, 60 s ... between attempts on a cluster that stays down, at most 5 minutes. */
function deferralSeconds(attempts: number): number {
  return Math.min(300, 15 * 2 ** Math.min(attempts - 1, 10));
}

async function freshInventory(engine: Engine, order: RemoveOrder, fallback: InventoryRecord): Promise<InventoryRecord> {
  return (await engine.store.inventories.get(order.namespace, order.application, order.cluster, order.revision)) ?? fallback;
}

/** Best effort: a concurrent write (an apply recording objects, another removal) has news of its own. */
async function noteRemoval(engine: Engine, order: RemoveOrder, change: (inventory: InventoryRecord) => InventoryRecord): Promise<void> {
  await retryOnConflict(async () => {
    const current = await engine.store.inventories.get(order.namespace, order.application, order.cluster, order.revision);
    if (current) await engine.store.inventories.record(change(current), current.version);
  }).catch(() => {});
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
