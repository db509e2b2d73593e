import type { Application } from '../application/application.ts';
import type { SubmitScope } from '../application/application-record.ts';
import { PlacementError } from '../errors/placement-error.ts';
import type { ValidationIssue } from '../errors/validation-error.ts';
import { kindScope } from '../object/cluster-scoped-kinds.ts';
import { kindKey, type ClusterKindScopes, type DiscoveredScope, type KindRef } from '../object/kind-scopes.ts';
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
 * How confinement treats a kind it cannot classify offline. `discovered`: the member clusters' discovery answers, by
 * cluster; a kind discovery calls namespaced is checked like any namespaced kind, one it calls cluster-scoped or does
 * not serve is refused. `unanswered`: what happens to a kind without an answer: `refuse` (at submit), or `defer` (at
 * step start: the applier asks discovery before it applies anything and fails the target), which still refuses an
 * object whose own `metadata.namespace` is outside the token's namespaces.
 */
export interface DiscoveryOptions {
  discovered?: ClusterKindScopes;
  unanswered?: 'refuse' | 'defer';
}

/**
 * What a limited token may put into member clusters, checked on the rendered placements. A cluster scope: every
 * placement on a cluster the token may place on (see cluster-scope.ts). Namespaces: every placement's namespace and
 * every object's final namespace inside the token's namespaces, no cluster-scoped object (Namespace objects
 * included), and no kind unless it is known (offline, or by the cluster's discovery) to be namespaced. The appliers
 * apply with the cluster's admin credentials, so this is the only place the token's limits reach the cluster.
 * `createNamespace` stays allowed here: it creates only the placement's namespace, which must be one of the token's
 * own (the cluster's own list of creatable namespaces is checked for every token, see namespace-creation.ts).
 * `clusters` are the clusters the placements were resolved against, for their labels. One issue per problem, however
 * many clusters or steps repeat it.
 */
export function confinementIssues(
  app: Application,
  placements: readonly PlannedPlacement[],
  scope: SubmitScope | undefined,
  clusters: readonly ClusterInfo[],
  options: DiscoveryOptions = {},
): ValidationIssue[] {
  if (!isConfined(scope)) return [];
  const issues = scope.clusters === undefined ? [] : clusterScopeIssues(app, placements, scope.clusters, clusters);
  return scope.namespaces.length === 0 ? issues : [...issues, ...namespaceIssues(app, placements, scope, options)];
}

function namespaceIssues(app: Application, placements: readonly PlannedPlacement[], scope: SubmitScope, options: DiscoveryOptions): ValidationIssue[] {
  const allowed = new Set(scope.namespaces);
  const limits = limitsOf(scope);
  const issues = new Map<string, ValidationIssue>();
  const add = (issue: ValidationIssue) => issues.set(`${issue.path}\n${issue.message}`, issue);

  for (const placement of placements) {
    if (!allowed.has(placement.namespace)) {
      add({ path: placementNamespacePath(app, placement.namespace), message: `deploys into namespace ${placement.namespace}; ${limits}, not ${placement.namespace}` });
    }
    const where: Where = { cluster: placement.cluster, namespace: placement.namespace };
    for (const object of placement.resources) {
      const answer = options.discovered?.[placement.cluster]?.[kindKey(object)];
      const problem = objectProblem(object, where, allowed, limits, answer, options.unanswered ?? 'refuse');
      if (problem !== undefined) add({ path: objectPath(app, object), message: problem });
    }
  }
  return [...issues.values()];
}

/**
 * The applier's check before it applies a target whose revision was submitted under a namespace-limited scope: every
 * kind Flotilla cannot classify offline must be namespaced by the cluster's discovery (`answers`), read just now.
 */
export function discoveredKindProblems(
  objects: readonly KubernetesObject[],
  where: Where,
  scope: SubmitScope | undefined,
  answers: Readonly<Record<string, DiscoveredScope>>,
): string[] {
  // A scope limited by clusters only leaves kinds alone.
  if (!isConfined(scope) || scope.namespaces.length === 0) return [];
  const allowed = new Set(scope.namespaces);
  const problems = objects
    .filter((object) => kindScope(object.apiVersion, object.kind) === 'unknown')
    .map((object) => objectProblem(object, where, allowed, limitsOf(scope), answers[kindKey(object)], 'refuse'));
  return [...new Set(problems.filter((problem) => problem !== undefined))];
}

/** The kinds of a scoped token's placements that only discovery can classify, by cluster. */
export function unclassifiedKinds(placements: readonly PlannedPlacement[], scope: SubmitScope | undefined): Map<string, KindRef[]> {
  const byCluster = new Map<string, Map<string, KindRef>>();
  if (!isConfined(scope) || scope.namespaces.length === 0) return new Map();
  for (const placement of placements) {
    for (const { apiVersion, kind } of placement.resources) {
      if (kindScope(apiVersion, kind) !== 'unknown') continue;
      const kinds = byCluster.get(placement.cluster) ?? new Map<string, KindRef>();
      kinds.set(kindKey({ apiVersion, kind }), { apiVersion, kind });
      byCluster.set(placement.cluster, kinds);
    }
  }
  return new Map([...byCluster].map(([cluster, kinds]) => [cluster, [...kinds.values()]]));
}

interface Where {
  cluster: string;
  namespace: string;
}

function limitsOf(scope: SubmitScope): string {
  return `this token is limited to namespaces ${scope.namespaces.join(', ')}`;
}

function objectProblem(
  object: KubernetesObject,
  where: Where,
  allowed: ReadonlySet<string>,
  limits: string,
  answer: DiscoveredScope | undefined,
  unanswered: 'refuse' | 'defer',
): string | undefined {
  const { apiVersion, kind } = object;
  const { name } = object.metadata;
  const offline = kindScope(apiVersion, kind);
  const scope = offline !== 'unknown' ? offline : answer === undefined ? 'unknown' : answer;
  const namespaceProblem = () => {
    const namespace = object.metadata.namespace ?? where.namespace;
    if (allowed.has(namespace)) return undefined;
    return `${kind} ${namespace}/${name} is in namespace ${namespace}; ${limits}, not ${namespace}`;
  };
  switch (scope) {
    case 'cluster':
      return offline === 'cluster'
        ? `${kind} ${name} (${apiVersion}) is cluster-scoped; ${limits} and may apply only namespaced objects inside them`
        : `${kind} ${name} (${apiVersion}) is cluster-scoped, says the discovery of cluster ${where.cluster}; ${limits} and may apply only namespaced objects inside them`;
    case 'absent':
      return `${kind} ${name} (${apiVersion}) is not a kind cluster ${where.cluster} serves (its discovery does not list it), so Flotilla cannot tell that it is namespaced; ${limits} and may apply only kinds known to be namespaced`;
    case 'unknown':
      // Without an answer, an unclassified kind could be cluster-scoped; at step start the applier asks before applying.
      if (unanswered === 'defer') return namespaceProblem();
      return `${kind} ${name} (${apiVersion}) is a kind Flotilla cannot classify as namespaced, and no member cluster's discovery said it is, so it could be cluster-scoped; ${limits} and may apply only kinds known to be namespaced`;
    case 'namespaced':
      return namespaceProblem();
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

/** The registry and any cluster a topology names that is not in it (with no labels). */
function submitClusters(app: Application, registry: readonly ClusterInfo[]): ClusterInfo[] {
  const known = new Set(registry.map((cluster) => cluster.name));
  const named = topologiesOf(app).flatMap(({ properties }) => properties.clusters ?? []).filter((name) => !known.has(name));
  return [...registry, ...[...new Set(named)].map((name) => ({ name, labels: {} }))];
}

/**
 * What a submit would place, before anything is stored: every deploy step rendered against the registry (plus, as the
 * dry run does, any cluster a topology lists by name, so a not-yet-joined cluster hides nothing). A step whose selector
 * matches no cluster now renders nothing here; the planner checks it again when it starts, against the clusters then.
 */
export function submitPlacements(app: Application, registry: readonly ClusterInfo[]): PlannedPlacement[] {
  const clusters = submitClusters(app, registry);
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
  return placements;
}

/** The check at submit: `submitPlacements` confined to the scope, with whatever discovery answered. */
export function submitConfinementIssues(app: Application, registry: readonly ClusterInfo[], scope: SubmitScope | undefined, options: DiscoveryOptions = {}): ValidationIssue[] {
  if (!isConfined(scope)) return [];
  return confinementIssues(app, submitPlacements(app, registry), scope, submitClusters(app, registry), options);
}

/** True when some topology asks Flotilla to create its namespace. */
export function createsNamespaces(app: Application): boolean {
  return topologiesOf(app).some(({ properties }) => properties.createNamespace);
}

/** Where a topology with `createNamespace` for this namespace is, or the first one with `createNamespace`. */
export function createNamespacePath(app: Application, namespace: string): string {
  const creating = topologiesOf(app).filter(({ properties }) => properties.createNamespace);
  const found = creating.find(({ properties }) => (properties.namespace ?? app.metadata.namespace) === namespace) ?? creating[0];
  return found === undefined ? 'spec.policies' : `spec.policies[${found.index}].properties.createNamespace`;
}
