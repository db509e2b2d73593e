import type { Application } from '../application/application.ts';
import type { ValidationIssue } from '../errors/validation-error.ts';
import { policyPath } from './check-policies.ts';
import { TopologyProperties } from './topology.ts';

/**
 * Every cluster a topology names in `clusters` must be registered when the Application is submitted: a typo or a
 * cluster not yet joined would otherwise wait out the step deadline. Each issue names the cluster and the clusters
 * that exist. Selectors are not checked: matching nothing now is legitimate (a cluster may be labelled later).
 */
export function unregisteredClusterIssues(app: Application, registered: readonly string[]): ValidationIssue[] {
  const known = new Set(registered);
  const names = [...registered].sort();
  const existing = names.length === 0 ? 'no cluster is registered yet (join one with `flotilla cluster join`)' : `registered clusters: ${names.join(', ')}`;
  const issues: ValidationIssue[] = [];
  (app.spec.policies ?? []).forEach((policy, index) => {
    if (policy.type !== 'topology') return;
    const parsed = TopologyProperties.safeParse(policy.properties ?? {});
    if (!parsed.success) return;
    (parsed.data.clusters ?? []).forEach((name, position) => {
      if (known.has(name)) return;
      issues.push({ path: `${policyPath(index)}.properties.clusters[${position}]`, message: `no cluster named ${name} is registered; ${existing}` });
    });
  });
  return issues;
}
