import type { Application } from '../application/application.ts';
import type { ApplicationComponent } from '../application/component.ts';
import { underPath, ValidationError, type ValidationIssue } from '../errors/validation-error.ts';
import { overrideOf, policyPath, topologyOf } from '../policy/check-policies.ts';
import type { ClusterInfo } from '../policy/cluster-info.ts';
import { applyOverride, entryApplies, type OverrideProperties } from '../policy/override.ts';
import type { Topology } from '../policy/topology.ts';

export interface NamedOverride {
  name: string;
  properties: OverrideProperties;
  /** Where its properties sit in the Application, for error paths. */
  path: string;
}

/** The policies a deploy step lists, split by role and kept in the step's order. */
export interface StepPolicies {
  topologies: Topology[];
  overrides: NamedOverride[];
}

export const noTopologyMessage =
  'a deploy step needs at least one topology policy: without one KubeVela deploys to its local cluster, and Flotilla has no local cluster (its control plane is not a Kubernetes cluster)';

/** Looks up a deploy step's policies by name (`policy <n> not found` otherwise) and requires a topology among them. */
export function resolveStepPolicies(app: Application, names: readonly string[], source: string): { policies: StepPolicies; issues: ValidationIssue[] } {
  const declared = app.spec.policies ?? [];
  const policies: StepPolicies = { topologies: [], overrides: [] };
  const issues: ValidationIssue[] = [];
  names.forEach((name, position) => {
    const index = declared.findIndex((policy) => policy.name === name);
    const policy = declared[index];
    if (policy === undefined) issues.push({ path: `${source}.properties.policies[${position}]`, message: `policy ${name} not found` });
    else if (policy.type === 'topology') policies.topologies.push(topologyOf(policy, index));
    else if (policy.type === 'override') policies.overrides.push({ name, properties: overrideOf(policy, index), path: `${policyPath(index)}.properties` });
  });
  if (issues.length === 0 && policies.topologies.length === 0) issues.push({ path: `${source}.properties.policies`, message: noTopologyMessage });
  return { policies, issues };
}

/**
 * The components a deploy step sends to `cluster`: the app's components with each override applied in turn to the
 * output of the previous one. Without a cluster, entries scoped to clusters are left out.
 */
export function componentsFor(components: readonly ApplicationComponent[], overrides: readonly NamedOverride[], cluster?: ClusterInfo): ApplicationComponent[] {
  return overrides.reduce<ApplicationComponent[]>((current, override) => {
    try {
      return applyOverride(current, override.properties, cluster);
    } catch (error) {
      throw error instanceof ValidationError ? new ValidationError(underPath(override.path, error.details)) : error;
    }
  }, [...components]);
}

/**
 * Identifies which cluster-scoped override entries apply to `cluster`: clusters with the same key receive the same
 * components, so the overrides need computing once per key rather than once per cluster.
 */
export function overrideScopeKey(overrides: readonly NamedOverride[], cluster: ClusterInfo): string {
  return overrides
    .map(({ properties }) =>
      properties.components
        .map((entry) => (entry.clusters === undefined && entry.clusterLabelSelector === undefined ? '-' : entryApplies(entry, cluster) ? '1' : '0'))
        .join(''),
    )
    .join('|');
}
