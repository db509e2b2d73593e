import type { ClusterRecord } from '../../core/cluster/cluster-record.ts';
import type { ClusterInfo } from '../../core/policy/cluster-info.ts';

/**
 * The clusters a topology policy sees when a step starts: the registered clusters that passed their latest probe
 * (accepted), with their labels. Every placement is resolved against this one list.
 */
export function placementClusters(records: readonly ClusterRecord[]): ClusterInfo[] {
  return records.filter((c) => c.accepted).map((c) => ({ name: c.name, labels: c.labels }));
}
