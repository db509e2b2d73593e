import { referenceKey } from './inventory.ts';
import type { Engine } from '../context.ts';
import { removeInventories } from './remove-inventories.ts';

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
