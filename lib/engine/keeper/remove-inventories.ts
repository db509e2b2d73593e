import type { InventoryRecord } from '../../core/run/inventory.ts';
import type { Engine } from '../context.ts';
import type { ApplyOrRemove } from '../ports/work-queues.ts';

/** Sends one remove order per inventory for what `toDelete` picks from it; an inventory with nothing to delete just goes. */
export async function removeInventories(
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
