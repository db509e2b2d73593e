import type { Application } from '../application/application.ts';
import { mayCreateNamespace, namespaceCreationRefusal } from './creatable-namespaces.ts';
import type { ValidationIssue } from '../errors/validation-error.ts';
import type { PlannedPlacement } from '../workflow/workflow-plan.ts';
import { createNamespacePath } from './confinement.ts';

/** A registered cluster's admin-set list of namespaces Flotilla may create there; undefined: no limit. */
export interface NamespaceCreationLimit {
  name: string;
  creatableNamespaces?: readonly string[] | undefined;
}

/**
 * Placements that would create a namespace their cluster's list does not allow, whoever submitted them: the list is the
 * cluster's, not a token's. Clusters not (yet) registered have no list and so no limit here; the planner checks again.
 */
export function namespaceCreationIssues(app: Application, placements: readonly PlannedPlacement[], clusters: readonly NamespaceCreationLimit[]): ValidationIssue[] {
  const limits = new Map(clusters.map((cluster) => [cluster.name, cluster.creatableNamespaces]));
  const issues = new Map<string, ValidationIssue>();
  for (const placement of placements) {
    if (!placement.createNamespace) continue;
    const allowed = limits.get(placement.cluster);
    if (allowed === undefined || mayCreateNamespace(allowed, placement.namespace)) continue;
    const message = namespaceCreationRefusal(placement.cluster, placement.namespace, allowed);
    issues.set(message, { path: createNamespacePath(app, placement.namespace), message });
  }
  return [...issues.values()];
}
