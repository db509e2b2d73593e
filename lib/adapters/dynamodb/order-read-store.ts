import { clusterKey, inventoryKey, liveRunKey, runKey, targetKey } from './keys.ts';
import { DynamoClusterStore } from './cluster-store.ts';
import { Inventories } from './inventory-store.ts';
import { DynamoRunStore } from './run-store.ts';
import { DynamoTargetStore } from './target-store.ts';
import type { Key, Table } from './table.ts';
import type { OrderRead, OrderReadRequest, OrderReadStore } from '../../engine/ports/store.ts';

/** The fencing records of an applier order in one BatchGetItem, each decoded by its own kind's layout. */
export class DynamoOrderReadStore implements OrderReadStore {
  readonly #table: Table;
  readonly #runs: DynamoRunStore;
  readonly #targets: DynamoTargetStore;
  readonly #clusters: DynamoClusterStore;
  readonly #inventories: Inventories;

  constructor(table: Table) {
    this.#table = table;
    this.#runs = new DynamoRunStore(table);
    this.#targets = new DynamoTargetStore(table);
    this.#clusters = new DynamoClusterStore(table);
    this.#inventories = new Inventories(table);
  }

  async read(request: OrderReadRequest): Promise<OrderRead> {
    const { application, target, cluster, inventory } = request;
    const keys: Key[] = [runKey(request.runId)];
    const at = (key: Key | undefined) => (key ? keys.push(key) - 1 : -1);
    const liveAt = at(application && liveRunKey(application.namespace, application.name));
    const targetAt = at(target && targetKey(request.runId, target.stepId, target.placement.cluster, target.placement.namespace));
    const clusterAt = at(cluster === undefined ? undefined : clusterKey(cluster));
    const inventoryAt = at(inventory && inventoryKey(inventory.namespace, inventory.application, inventory.cluster, inventory.revision));
    const items = await this.#table.batchGet(keys);
    const item = (index: number) => (index < 0 ? undefined : items[index]);
    const [run, live, targetItem, clusterItem, inventoryItem] = [items[0], item(liveAt), item(targetAt), item(clusterAt), item(inventoryAt)];
    return {
      ...(run ? { run: this.#runs.fromItem(run) } : {}),
      ...(typeof live?.liveRunId === 'string' ? { liveRunId: live.liveRunId } : {}),
      ...(targetItem ? { target: this.#targets.fromItem(targetItem) } : {}),
      ...(clusterItem ? { cluster: this.#clusters.fromItem(clusterItem) } : {}),
      ...(inventoryItem ? { inventory: this.#inventories.fromItem(inventoryItem) } : {}),
    };
  }
}
