import type { ClusterRecord } from '../../core/cluster/cluster-record.ts';
import type { ClusterInfo } from '../../core/policy/cluster-info.ts';

export interface PlacementRegistry {
  /** Every registered cluster with its labels: names and selectors resolve against all of them. */
  clusters: ClusterInfo[];
  /** Why each cluster that failed its latest probe is not accepted, by name. */
  notAccepted: ReadonlyMap<string, string>;
}

/**
 * The clusters a topology sees when a step starts: every registered cluster, accepted or not, as KubeVela lists its
 * cluster Secrets whatever their health. A cluster that failed its latest probe is still placed: its target waits
 * with the probe's reason (and deploys if the cluster answers before the deadline) instead of being dropped, which
 * would deploy elsewhere only and let garbage collection remove the application from the cluster that was down.
 * Takes the records the caller read, so one read also serves their discovery answers and creatable namespaces.
 */
export function placementClusters(records: readonly ClusterRecord[]): PlacementRegistry {
  return {
    clusters: records.map((c) => ({ name: c.name, labels: c.labels })),
    notAccepted: new Map(
      records.filter((c) => !c.accepted).map((c) => [c.name, `cluster ${c.name} is not accepted: its probe at ${c.probedAt} failed: ${c.probeMessage ?? 'no reason recorded'}`]),
    ),
  };
}
