import type { ClusterInfo } from '../../core/policy/cluster-info.ts';
import type { ClusterStore } from '../ports/store.ts';

/**
 * The clusters a topology policy sees when a step starts: the registered clusters that passed their latest probe
 * (accepted), with their labels. Every placement is resolved against this one list.
 */
export async function placementClusters(clusters: ClusterStore): Promise<ClusterInfo[]> {
  return (await clusters.list()).filter((c) => c.accepted).map((c) => ({ name: c.name, labels: c.labels }));
}
