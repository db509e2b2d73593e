import type { Application } from '../application/application.ts';
import type { TokenClusterScope } from '../application/application-record.ts';
import type { ValidationIssue } from '../errors/validation-error.ts';
import type { ClusterInfo } from '../policy/cluster-info.ts';
import { matchesSelector } from '../policy/cluster-selector.ts';
import type { PlannedPlacement } from '../workflow/workflow-plan.ts';
import { topologiesOf } from './app-topologies.ts';

/** Bounds on what a token's cluster scope may list, so checking a placement stays cheap. */
export const clusterScopeLimits = { names: 100, selectorEntries: 20 } as const;

/**
 * Whether a token whose cluster scope is `scope` may place on `cluster`: named, or carrying every label of the
 * selector. An empty selector matches nothing here (token creation refuses one), so a scope never widens by accident.
 */
export function allowsCluster(scope: TokenClusterScope, cluster: ClusterInfo): boolean {
  if (scope.names?.includes(cluster.name)) return true;
  const selector = scope.selector ?? {};
  if (Object.keys(selector).length === 0) return false;
  return matchesSelector(cluster.labels, { matchLabels: selector, matchExpressions: [] });
}

/** `clusters beijing-1, beijing-2 or clusters labelled team=a`: the scope in a refusal's words. */
export function describeClusterScope(scope: TokenClusterScope): string {
  const parts: string[] = [];
  if (scope.names !== undefined && scope.names.length > 0) parts.push(`clusters ${scope.names.join(', ')}`);
  const labels = Object.entries(scope.selector ?? {}).map(([key, value]) => `${key}=${value}`);
  if (labels.length > 0) parts.push(`clusters labelled ${labels.join(', ')}`);
  return parts.length === 0 ? 'no cluster' : parts.join(' or ');
}

/**
 * One issue per cluster a placement reaches outside the token's cluster scope, at the topology that placed it.
 * `clusters` gives the labels the selector is matched against: the registry as the check sees it (a cluster missing
 * from it has no labels, so only its name can allow it).
 */
export function clusterScopeIssues(
  app: Application,
  placements: readonly PlannedPlacement[],
  scope: TokenClusterScope,
  clusters: readonly ClusterInfo[],
): ValidationIssue[] {
  const labelsOf = new Map(clusters.map((cluster) => [cluster.name, cluster.labels]));
  const limits = `this token may place only on ${describeClusterScope(scope)}`;
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const { cluster } of placements) {
    if (seen.has(cluster)) continue;
    seen.add(cluster);
    const info = { name: cluster, labels: labelsOf.get(cluster) ?? {} };
    if (allowsCluster(scope, info)) continue;
    issues.push({ path: placingPath(app, info), message: `places on cluster ${cluster}; ${limits}, not ${cluster}` });
  }
  return issues;
}

/** The topology entry naming the cluster, or the selector that picked it, or the policies as a whole. */
function placingPath(app: Application, cluster: ClusterInfo): string {
  const topologies = topologiesOf(app);
  for (const { index, properties } of topologies) {
    const entry = properties.clusters?.indexOf(cluster.name) ?? -1;
    if (entry !== -1) return `spec.policies[${index}].properties.clusters[${entry}]`;
  }
  for (const { index, properties } of topologies) {
    const { clusters, clusterLabelSelector } = properties;
    if (clusters === undefined && clusterLabelSelector !== undefined && matchesSelector(cluster.labels, clusterLabelSelector)) {
      return `spec.policies[${index}].properties.clusterLabelSelector`;
    }
  }
  return 'spec.policies';
}
