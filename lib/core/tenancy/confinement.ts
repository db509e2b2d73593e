import type { Application } from '../application/application.ts';
import type { SubmitScope } from '../application/application-record.ts';
import { PlacementError } from '../errors/placement-error.ts';
import type { ValidationIssue } from '../errors/validation-error.ts';
import { kindScope } from '../object/cluster-scoped-kinds.ts';
import type { KubernetesObject } from '../object/kubernetes-object.ts';
import type { ClusterInfo } from '../policy/cluster-info.ts';
import { OamLabel } from '../render/oam-labels.ts';
import { outlineWorkflow, planStep } from '../workflow/plan-workflow.ts';
import type { PlannedPlacement } from '../workflow/workflow-plan.ts';
import { topologiesOf } from './app-topologies.ts';
import { clusterScopeIssues } from './cluster-scope.ts';

/**
 * A scope limits anything only when it names namespaces or carries a cluster scope; no scope, or an empty namespace
 * list without clusters, is an unlimited (admin) token.
 */
export function isConfined(scope: SubmitScope | undefined): scope is SubmitScope {
  return scope !== undefined && (scope.namespaces.length > 0 || scope.clusters !== undefined);
}

/**
 * What a limited token may put into member clusters, checked on the rendered placements. A cluster scope: every
 * placement on a cluster the token may place on (see cluster-scope.ts). Namespaces: every placement's namespace and
 * every object's final namespace inside the token's namespaces, no cluster-scoped object (Namespace objects
 * included), and no kind that cannot be classified offline. The appliers apply with the cluster's admin credentials,
 * so this is the only place the token's limits reach the cluster. `createNamespace` stays allowed: it creates only
 * the placement's namespace, which must be one of the token's own. `clusters` are the clusters the placements were
 * resolved against, for their labels. One issue per problem, however many clusters or steps repeat it.
 */
export function confinementIssues(
  app: Application,
  placements: readonly PlannedPlacement[],
  scope: SubmitScope | undefined,
  clusters: readonly ClusterInfo[],
): ValidationIssue[] {
  if (!isConfined(scope)) return [];
  const issues = scope.clusters === undefined ? [] : clusterScopeIssues(app, placements, scope.clusters, clusters);
  return scope.namespaces.length === 0 ? issues : [...issues, ...namespaceIssues(app, placements, scope.namespaces)];
}

function namespaceIssues(app: Application, placements: readonly PlannedPlacement[], namespaces: readonly string[]): ValidationIssue[] {
  const allowed = new Set(namespaces);
  const limits = `this token is limited to namespaces ${namespaces.join(', ')}`;
  const issues = new Map<string, ValidationIssue>();
  const add = (issue: ValidationIssue) => issues.set(`${issue.path}\n${issue.message}`, issue);

  for (const placement of placements) {
    if (!allowed.has(placement.namespace)) {
      add({ path: placementNamespacePath(app, placement.namespace), message: `deploys into namespace ${placement.namespace}; ${limits}, not ${placement.namespace}` });
    }
    for (const object of placement.resources) {
      const problem = objectProblem(object, placement.namespace, allowed, limits);
      if (problem !== undefined) add({ path: objectPath(app, object), message: problem });
    }
  }
  return [...issues.values()];
}

function objectProblem(object: KubernetesObject, placementNamespace: string, allowed: ReadonlySet<string>, limits: string): string | undefined {
  const { apiVersion, kind } = object;
  const { name } = object.metadata;
  switch (kindScope(apiVersion, kind)) {
    case 'cluster':
      return `${kind} ${name} (${apiVersion}) is cluster-scoped; ${limits} and may apply only namespaced objects inside them`;
    case 'unknown':
      // Discovery could tell; until the planner asks the member cluster, an unclassified kind could be cluster-scoped.
      return `${kind} ${name} (${apiVersion}) is a kind Flotilla cannot classify as namespaced, so it could be cluster-scoped; ${limits} and may apply only kinds known to be namespaced`;
    case 'namespaced': {
      const namespace = object.metadata.namespace ?? placementNamespace;
      if (allowed.has(namespace)) return undefined;
      return `${kind} ${namespace}/${name} is in namespace ${namespace}; ${limits}, not ${namespace}`;
    }
  }
}

/** The topology that names the namespace, or the Application's own `metadata.namespace`. */
function placementNamespacePath(app: Application, namespace: string): string {
  const found = topologiesOf(app).find(({ properties }) => properties.namespace === namespace);
  return found === undefined ? 'metadata.namespace' : `spec.policies[${found.index}].properties.namespace`;
}

/** The component that rendered the object, down to the entry of a k8s-objects list when it is one. */
function objectPath(app: Application, object: KubernetesObject): string {
  const componentName = object.metadata.labels?.[OamLabel.component];
  const index = app.spec.components.findIndex((component) => component.name === componentName);
  if (index === -1) return 'spec.components';
  const objects = (app.spec.components[index]!.properties as { objects?: unknown } | undefined)?.objects;
  if (Array.isArray(objects)) {
    // Two entries may share kind and name in different namespaces: the one whose own namespace matches is it.
    const exact = objects.findIndex((candidate: unknown) => isSameObject(candidate, object, true));
    const entry = exact !== -1 ? exact : objects.findIndex((candidate: unknown) => isSameObject(candidate, object, false));
    if (entry !== -1) return `spec.components[${index}].properties.objects[${entry}]`;
  }
  return `spec.components[${index}]`;
}

function isSameObject(candidate: unknown, object: KubernetesObject, sameNamespace: boolean): boolean {
  if (typeof candidate !== 'object' || candidate === null) return false;
  const { kind, metadata } = candidate as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
  if (kind !== object.kind || metadata?.name !== object.metadata.name) return false;
  return !sameNamespace || metadata.namespace === object.metadata.namespace;
}

/**
 * The check at submit, before anything is stored: every deploy step rendered against the registry (plus, as the dry
 * run does, any cluster a topology lists by name, so a not-yet-joined cluster hides nothing). A step whose selector
 * matches no cluster now renders nothing here; the planner checks it again when it starts, against the clusters then.
 */
export function submitConfinementIssues(app: Application, registry: readonly ClusterInfo[], scope: SubmitScope | undefined): ValidationIssue[] {
  if (!isConfined(scope)) return [];
  const known = new Set(registry.map((cluster) => cluster.name));
  const named = topologiesOf(app).flatMap(({ properties }) => properties.clusters ?? []).filter((name) => !known.has(name));
  const clusters = [...registry, ...[...new Set(named)].map((name) => ({ name, labels: {} }))];
  const options = { revision: `${app.metadata.name}-v0` };
  const placements: PlannedPlacement[] = [];
  for (const step of outlineWorkflow(app, options).steps) {
    if (step.type !== 'deploy') continue;
    try {
      placements.push(...planStep(app, step.name, clusters, options).placements);
    } catch (err) {
      if (!(err instanceof PlacementError)) throw err;
    }
  }
  return confinementIssues(app, placements, scope, clusters);
}
