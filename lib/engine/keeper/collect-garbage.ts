import { referenceKey } from './inventory.ts';
import type { Engine } from '../context.ts';
import { removeInventories } from './remove-inventories.ts';

/**
 * After a run succeeds: every object the clusters hold for the application (its inventories) that this run did not
 * place is deleted, whatever took it out of the placement: a new revision, a component removed, a cluster that no
 * longer matches a label selector, a detach or a rename. What the run placed is kept (its revision's inventories in
 * the clusters it deployed to), so A -> B -> A never deletes live objects; a failed or suspended run deletes nothing.
 * Runs only for the application's live run; a newer run collects for itself when it succeeds.
 */
export async function collectGarbage(engine: Engine, request: { namespace: string; name: string; runId: string }): Promise<number> {
  const { store } = engine;
  const run = await store.runs.get(request.runId);
  if (run?.phase !== 'succeeded') return 0;
  const live = await store.runs.liveRun(request.namespace, request.name);
  if (live !== undefined && live !== run.runId) return 0;
  // The clusters this run deployed to, from its targets: re-running the same revision after a label change places
  // fewer clusters, and that revision's inventories elsewhere must go too.
  const placed = new Set((await store.targets.listForRun(run.runId)).map((target) => target.cluster));
  // A run limited to some clusters (a rollout's rollback) judges only those: elsewhere it placed nothing, and what
  // the clusters it never visited hold is the revision they kept, not garbage.
  const only = run.clusters === undefined ? undefined : new Set(run.clusters);
  const inventories = (await store.inventories.listForApplication(request.namespace, request.name)).filter((inventory) => only?.has(inventory.cluster) ?? true);
  const kept = new Map<string, Set<string>>();
  for (const inventory of inventories) {
    if (inventory.revision === run.revision && placed.has(inventory.cluster)) kept.set(inventory.cluster, new Set(inventory.resources.map(referenceKey)));
  }
  // A removal that met its cluster down waits for its next attempt (the sweep collects again when it is due).
  const now = engine.now().getTime();
  const stale = inventories.filter((i) => !(i.revision === run.revision && placed.has(i.cluster)) && !(i.removalRetryAt !== undefined && Date.parse(i.removalRetryAt) > now));
  return removeInventories(engine, stale, (inventory) => {
    const keep = kept.get(inventory.cluster) ?? new Set<string>();
    return inventory.resources.filter((r) => !keep.has(referenceKey(r)));
  }, false);
}
