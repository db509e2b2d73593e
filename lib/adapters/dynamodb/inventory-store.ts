import * as z from 'zod';
import { applicationPartition, clusterInventoryGroup, inventoryKey, orphanPartition, padded } from './keys.ts';
import { RecordTable } from './record-table.ts';
import type { Table } from './table.ts';
import { InventoryRecord, OrphanRecord } from '../../core/run/inventory.ts';
import { type InventoryStore, type RemovalProblem } from '../../engine/ports/store.ts';

export class Inventories extends RecordTable<InventoryRecord> {
  readonly #table: Table;

  constructor(table: Table) {
    super(table, {
      entity: 'inventory',
      schema: InventoryRecord,
      jsonFields: ['resources'],
      key: (record) => inventoryKey(record.namespace, record.application, record.cluster, record.revision),
      group: (record) => ({
        gsi1pk: clusterInventoryGroup(record.cluster),
        gsi1sk: `${record.namespace}#${record.application}#${padded(record.revision)}`,
      }),
      label: (record) => `${record.namespace}/${record.application}-v${record.revision}@${record.cluster}`,
    });
    this.#table = table;
  }

  get(namespace: string, application: string, cluster: string, revision: number) {
    return this.read(inventoryKey(namespace, application, cluster, revision));
  }

  listForApplication(namespace: string, application: string) {
    return this.readAll({ partition: applicationPartition(namespace, application), sortPrefix: 'INVENTORY#' });
  }

  listForCluster(cluster: string) {
    return this.readAll({ partition: clusterInventoryGroup(cluster), byGroup: true });
  }

  /** What status shows of an application's inventories: only the three attributes of a stuck removal are read. */
  async removalProblems(namespace: string, application: string): Promise<RemovalProblem[]> {
    const items = await this.#table.query({ partition: applicationPartition(namespace, application), sortPrefix: 'INVENTORY#', attributes: ['cluster', 'revision', 'removalProblem'] });
    return items.flatMap((item) => {
      const read = RemovalProblemItem.parse(item);
      return !read.removalProblem ? [] : [{ cluster: read.cluster, revision: read.revision, message: read.removalProblem }];
    });
  }
}

const RemovalProblemItem = InventoryRecord.pick({ cluster: true, revision: true, removalProblem: true });

class Orphans extends RecordTable<OrphanRecord> {
  constructor(table: Table) {
    super(table, {
      entity: 'orphan record',
      schema: OrphanRecord,
      jsonFields: ['inventories'],
      key: (record) => ({ pk: orphanPartition, sk: `${record.cluster}#${record.detachedAt}` }),
      label: (record) => `${record.cluster}@${record.detachedAt}`,
    });
  }

  list() {
    return this.readAll({ partition: orphanPartition });
  }
}

export class DynamoInventoryStore implements InventoryStore {
  readonly #table: Table;
  readonly #inventories: Inventories;
  readonly #orphans: Orphans;

  constructor(table: Table) {
    this.#table = table;
    this.#inventories = new Inventories(table);
    this.#orphans = new Orphans(table);
  }

  record(inventory: InventoryRecord, expectedVersion?: number) {
    return expectedVersion === undefined ? this.#inventories.create(inventory) : this.#inventories.replace(inventory, expectedVersion);
  }

  get(namespace: string, application: string, cluster: string, revision: number) {
    return this.#inventories.get(namespace, application, cluster, revision);
  }

  listForApplication(namespace: string, application: string) {
    return this.#inventories.listForApplication(namespace, application);
  }

  removalProblems(namespace: string, application: string) {
    return this.#inventories.removalProblems(namespace, application);
  }

  listForCluster(cluster: string) {
    return this.#inventories.listForCluster(cluster);
  }

  async remove(inventory: InventoryRecord, expectedVersion?: number): Promise<void> {
    if (expectedVersion !== undefined) return this.#inventories.remove(inventory, expectedVersion);
    await this.#table.delete(inventoryKey(inventory.namespace, inventory.application, inventory.cluster, inventory.revision));
  }

  recordOrphans(orphans: OrphanRecord) {
    return this.#orphans.create(orphans);
  }

  listOrphans() {
    return this.#orphans.list();
  }
}
