import * as z from 'zod';
import { applicationPartition, clusterInventoryGroup, inventoryKey, orphanPartition, padded } from './keys.ts';
import { RecordTable } from './record-table.ts';
import type { Table } from './table.ts';

/** One object Flotilla applied, enough to find it again and to say whose it is. */
export const ResourceReference = z.object({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  namespace: z.string().optional(),
  name: z.string().min(1),
  component: z.string().optional(),
});
export type ResourceReference = z.infer<typeof ResourceReference>;

/** What one revision of an application applied to one cluster: the basis of garbage collection and of detach checks. */
export const InventoryRecord = z.object({
  namespace: z.string().min(1),
  application: z.string().min(1),
  revision: z.int().positive(),
  cluster: z.string().min(1),
  resources: z.array(ResourceReference),
  recordedAt: z.iso.datetime(),
  /** Why removing these objects keeps failing (an unreachable cluster); shown in status until it succeeds. */
  removalProblem: z.string().optional(),
  version: z.int().positive(),
});
export type InventoryRecord = z.infer<typeof InventoryRecord>;

/** Resources left behind in a cluster that was detached by force: nobody will delete them. */
export const OrphanRecord = z.object({
  cluster: z.string().min(1),
  detachedAt: z.iso.datetime(),
  inventories: z.array(InventoryRecord.omit({ version: true })),
  version: z.int().positive(),
});
export type OrphanRecord = z.infer<typeof OrphanRecord>;

export interface InventoryStore {
  /** Creates the inventory, or replaces it when `expectedVersion` (the version read) is given. */
  record(inventory: InventoryRecord, expectedVersion?: number): Promise<InventoryRecord>;
  get(namespace: string, application: string, cluster: string, revision: number): Promise<InventoryRecord | undefined>;
  listForApplication(namespace: string, application: string): Promise<InventoryRecord[]>;
  /** Every application's inventories in one cluster; read from the group index. */
  listForCluster(cluster: string): Promise<InventoryRecord[]>;
  remove(inventory: InventoryRecord): Promise<void>;
  recordOrphans(orphans: OrphanRecord): Promise<OrphanRecord>;
  listOrphans(): Promise<OrphanRecord[]>;
}

class Inventories extends RecordTable<InventoryRecord> {
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
}

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

  listForCluster(cluster: string) {
    return this.#inventories.listForCluster(cluster);
  }

  async remove(inventory: InventoryRecord): Promise<void> {
    await this.#table.delete(inventoryKey(inventory.namespace, inventory.application, inventory.cluster, inventory.revision));
  }

  recordOrphans(orphans: OrphanRecord) {
    return this.#orphans.create(orphans);
  }

  listOrphans() {
    return this.#orphans.list();
  }
}
