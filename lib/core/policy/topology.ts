import * as z from 'zod';
import { dnsLabel } from '../application/dns-name.ts';
import { PlacementError } from '../errors/placement-error.ts';
import type { ClusterInfo } from './cluster-info.ts';
import { ClusterName } from './cluster-name.ts';
import { ClusterLabelSelector, matchesSelector } from './cluster-selector.ts';

export const TopologyProperties = z
  .strictObject({
    clusters: z.array(ClusterName).optional(),
    clusterLabelSelector: ClusterLabelSelector.optional(),
    clusterSelector: z
      .never({ error: 'clusterSelector is a deprecated spelling that KubeVela ignores unless its DeprecatedPolicySpec feature gate is on; use clusterLabelSelector' })
      .optional(),
    namespace: dnsLabel('namespace').optional(),
    allowEmpty: z.boolean().default(false),
    /** Flotilla extension: create the namespace in each selected cluster before applying into it. */
    createNamespace: z.boolean().default(false),
  })
  .superRefine((topology, context) => {
    if (topology.clusters === undefined && topology.clusterLabelSelector === undefined) {
      context.addIssue({
        code: 'custom',
        path: [],
        message: 'a topology needs clusters or clusterLabelSelector; without them KubeVela deploys to its local cluster, which Flotilla does not have',
      });
    }
  });
export type TopologyProperties = z.infer<typeof TopologyProperties>;

export interface Topology {
  name: string;
  properties: TopologyProperties;
}

/** Where a deploy step applies: a cluster and, when the topology names one, the namespace there. */
export interface Placement {
  cluster: string;
  /** Absent when the topology sets no namespace: each object then keeps its own, or takes the app's. */
  namespace?: string;
  createNamespace: boolean;
}

/**
 * Resolves the topologies of one deploy step against the cluster registry as it is now. Each topology uses its
 * `clusters` list when set (in the listed order, each name must be registered) and its label selector otherwise
 * (matching clusters by name, as Kubernetes lists cluster Secrets). Placements are de-duplicated in first-seen order.
 * Throws PlacementError when a name is unknown or a selector matches nothing without `allowEmpty`.
 */
export function resolvePlacements(topologies: readonly Topology[], registry: readonly ClusterInfo[]): Placement[] {
  const clustersByName = new Map(registry.map((cluster) => [cluster.name, cluster]));
  const placements = new Map<string, Placement>();
  for (const topology of topologies) {
    const { namespace, createNamespace } = topology.properties;
    for (const cluster of selectClusters(topology, registry, clustersByName)) {
      const key = `${cluster}/${namespace ?? ''}`;
      const seen = placements.get(key);
      // The same place reached through two topologies: creating the namespace is wanted if either asks for it.
      if (seen !== undefined) seen.createNamespace ||= createNamespace;
      else placements.set(key, { cluster, ...(namespace === undefined ? {} : { namespace }), createNamespace });
    }
  }
  return [...placements.values()];
}

function selectClusters(topology: Topology, registry: readonly ClusterInfo[], clustersByName: ReadonlyMap<string, ClusterInfo>): string[] {
  const { clusters, clusterLabelSelector, allowEmpty } = topology.properties;
  if (clusters !== undefined) {
    for (const name of clusters) {
      if (!clustersByName.has(name)) throw new PlacementError(topology.name, 'ClusterNotFound', `failed to get cluster ${name}: no cluster named ${name} is registered`);
    }
    return clusters;
  }
  if (clusterLabelSelector === undefined) return [];
  const matching = registry
    .filter((cluster) => matchesSelector(cluster.labels, clusterLabelSelector))
    .map((cluster) => cluster.name)
    .sort();
  if (matching.length === 0 && !allowEmpty) throw new PlacementError(topology.name, 'NoClusterMatches', 'failed to find any cluster matches given labels');
  return matching;
}
