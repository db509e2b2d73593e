import { objectKey, type KubernetesObject } from '../../core/object/kubernetes-object.ts';
import { resourceOwner } from '../../core/render/oam-labels.ts';
import type { InventoryRecord, ResourceReference } from '../../core/run/inventory.ts';
import type { RunRecord } from '../../core/run/run.ts';
import type { Engine } from '../context.ts';
import { retryOnConflict } from '../retry.ts';

export function referenceTo(object: KubernetesObject): ResourceReference {
  const { name, namespace } = object.metadata;
  const component = resourceOwner(object)?.component;
  return { apiVersion: object.apiVersion, kind: object.kind, name, ...(namespace ? { namespace } : {}), ...(component ? { component } : {}) };
}

export function referenceKey(reference: ResourceReference): string {
  return objectKey({ apiVersion: reference.apiVersion, kind: reference.kind, metadata: { name: reference.name, namespace: reference.namespace } });
}

/**
 * Adds what was just applied to the inventory of (application, cluster, revision), before anything can be garbage
 * collected: GC deletes only what older revisions hold and the current one does not, so this must never lag the apply.
 * `read` is the inventory as the caller just read it (strongly consistent, absent on a revision's first apply): the
 * first write is conditional on it (create if absent, replace at its version), and only a lost race reads again.
 */
export async function recordApplied(
  engine: Engine,
  run: RunRecord,
  cluster: string,
  objects: readonly KubernetesObject[],
  read?: { inventory: InventoryRecord | undefined },
): Promise<void> {
  let alreadyRead = read;
  await retryOnConflict(async () => {
    const { inventories } = engine.store;
    const current = alreadyRead ? alreadyRead.inventory : await inventories.get(run.namespace, run.application, cluster, run.revision);
    alreadyRead = undefined;
    const known = new Set((current?.resources ?? []).map(referenceKey));
    const added = objects.map(referenceTo).filter((r) => !known.has(referenceKey(r)));
    if (current && added.length === 0) return;
    const record = {
      namespace: run.namespace,
      application: run.application,
      revision: run.revision,
      cluster,
      resources: [...(current?.resources ?? []), ...added],
      recordedAt: engine.now().toISOString(),
      version: current?.version ?? 1,
    };
    await inventories.record(record, current?.version);
  }, ['changed', 'already-exists']);
}
