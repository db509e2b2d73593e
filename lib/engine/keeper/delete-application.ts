import type { Engine } from '../context.ts';
import { purgeApplication } from './purge-application.ts';
import { removeInventories } from './remove-inventories.ts';

/** While objects remain, the deletion looks again this often. */
const deletionRecheckSeconds = 10;

/**
 * Deleting an application, once the planner has stopped its runs: every object any revision applied is removed from
 * every cluster. The records go once the last inventory is gone (the applier purges then). With `force`, objects in
 * clusters that cannot be reached are recorded as orphans instead of holding the deletion up forever (KubeVela #3328).
 */
export async function deleteApplication(engine: Engine, request: { namespace: string; name: string; force: boolean }): Promise<'purged' | 'removing'> {
  const { store } = engine;
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
