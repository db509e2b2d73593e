import * as z from 'zod';
import { SealedSecret } from '../../core/secret/sealed-secret.ts';
import { clusterKey, clusterPartition } from './keys.ts';
import { RecordTable } from './record-table.ts';
import { type VersionedWrites } from '../../engine/ports/store.ts';
import type { Table } from './table.ts';
import { ClusterRecord } from '../../core/cluster/cluster-record.ts';
import { type ClusterStore } from '../../engine/ports/store.ts';

export class DynamoClusterStore extends RecordTable<ClusterRecord> implements ClusterStore {
  constructor(table: Table) {
    super(table, {
      entity: 'cluster',
      schema: ClusterRecord,
      jsonFields: ['credentials', 'labels'],
      key: (record) => clusterKey(record.name),
      label: (record) => record.name,
    });
  }

  get(name: string) {
    return this.read(clusterKey(name));
  }

  list() {
    return this.readAll({ partition: clusterPartition, sortPrefix: 'CLUSTER#' });
  }
}
