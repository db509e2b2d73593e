import * as z from 'zod';
import { SealedSecret } from '../../core/secret/sealed-secret.ts';
import { clusterKey, clusterPartition } from './keys.ts';
import { RecordTable, type VersionedWrites } from './record-table.ts';
import type { Table } from './table.ts';

export const ClusterRecord = z.object({
  name: z.string().min(1),
  /** Stable across rename; binds the sealed credentials (it is in their encryption context). */
  id: z.uuid(),
  endpoint: z.string().min(1),
  credentialType: z.enum(['X509Certificate', 'ServiceAccountToken']),
  /** Bumped by every credential rotation, so cached clients built from older credentials are dropped. */
  credentialVersion: z.int().positive(),
  /** CA, client certificate and key or token, sealed; only the endpoint stays readable. */
  credentials: SealedSecret,
  labels: z.record(z.string(), z.string()),
  accepted: z.boolean(),
  kubernetesVersion: z.string().optional(),
  /** The outcome of the latest probe: why the cluster is not accepted, when it is not. */
  probeMessage: z.string().optional(),
  probedAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.int().positive(),
});
export type ClusterRecord = z.infer<typeof ClusterRecord>;

/** Member clusters, all in one partition so that a listing is strongly consistent right after a join. */
export interface ClusterStore extends VersionedWrites<ClusterRecord> {
  get(name: string): Promise<ClusterRecord | undefined>;
  list(): Promise<ClusterRecord[]>;
  remove(record: ClusterRecord, expectedVersion: number): Promise<void>;
}

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
